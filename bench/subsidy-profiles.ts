// Synthetic facility profiles for the subsidy benchmark: about as many as there are 医療機関・薬局
// in Japan, in the national mix of kinds, each with the monthly figures every program reads
// (2023-10 to 2025-05) and a project for every project-based program. Deterministic (a seeded
// PRNG), so two runs time the same work.
import type { FacilityKind, FacilityProfile, Project } from "../src/subsidy/profile.ts";

/** Facilities by kind, scaled from 医療施設調査 / 衛生行政報告例 (≈ 8,100 病院, 105,000 医科診療所, 67,000 歯科診療所, 62,000 薬局). */
const MIX: [FacilityKind, number][] = [
  ["hospital", 8_100],
  ["medical_clinic", 105_000],
  ["dental_clinic", 67_000],
  ["pharmacy", 62_000],
];

/** Mulberry32: small, fast and good enough to vary synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 2023-10 (the programs' base month) to 2025-05: the months a facility knows on the bench's date, 2025-06-01. */
const MONTHS: string[] = [];
for (let y = 2023, m = 10; y < 2025 || m <= 5; m === 12 ? (y++, (m = 1)) : m++) MONTHS.push(`${y}-${String(m).padStart(2, "0")}`);

function date(random: () => number, from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(random() * days) * 86_400_000).toISOString().slice(0, 10);
}

function profile(kind: FacilityKind, index: number, random: () => number): FacilityProfile {
  const size = kind === "hospital" ? 3_000 + random() * 12_000 : 300 + random() * 1_700;
  const months: FacilityProfile["months"] = {};
  MONTHS.forEach((month, i) => {
    const receipts = Math.round(size * (0.9 + random() * 0.2));
    const outpatientReceipts = kind === "hospital" ? Math.round(receipts * 0.8) : receipts;
    const rate = Math.min(0.9, 0.04 + i * 0.015 + random() * 0.1);
    const cardPersons = Math.round(outpatientReceipts * rate);
    months[month] = {
      cardPersons,
      cardUses: Math.round(cardPersons * (1.1 + random() * 0.4)),
      onlineChecks: Math.round(receipts * 1.3),
      receipts,
      outpatientReceipts,
    };
  });
  const readers = kind === "hospital" ? 1 + Math.floor(random() * 3) : 1;
  const projects: Project[] = [
    { program: "fund-2020", cost: Math.round(300_000 + random() * 2_000_000), readers, readerAppliedOn: date(random, "2020-08-01", 900), completedOn: date(random, "2022-01-01", 400), appliedOn: date(random, "2023-03-01", 180) },
    { program: "reader-expansion-2024", cost: Math.round(100_000 + random() * 900_000), readers: 1 + Math.floor(random() * 2), purchasedOn: date(random, "2023-11-01", 300), completedOn: date(random, "2024-03-01", 200), appliedOn: date(random, "2024-06-01", 150) },
    { program: "modification-da-2024", cost: Math.round(50_000 + random() * 1_500_000), scope: "recipient_and_card", completedOn: date(random, "2024-02-01", 200), appliedOn: date(random, "2024-06-01", 100) },
    { program: "modification-2025", cost: Math.round(50_000 + random() * 1_500_000), completedOn: date(random, "2025-07-01", 100), appliedOn: date(random, "2025-10-01", 90) },
  ];
  return {
    name: `施設${index}`,
    kind,
    ...(kind === "pharmacy" ? { largeChainPharmacy: random() < 0.3 } : {}),
    openedOn: date(random, "1980-01-01", 16_000),
    readersProvided: readers,
    readersInUse: readers,
    receptionMachine: random() < 0.3,
    poster: random() < 0.9,
    flyers: random() < 0.8,
    months,
    projects,
  };
}

/** The kind of profile `index` of `count`: kinds in blocks, in the national proportions. */
function kindOf(index: number, count: number): FacilityKind {
  const total = MIX.reduce((sum, [, n]) => sum + n, 0);
  let end = 0;
  for (const [kind, n] of MIX) {
    end += (count * n) / total;
    if (index < end) return kind;
  }
  return "pharmacy";
}

/** Profile `index` of `count`, as one JSON line; each profile has its own seed, so any range can be made alone. */
export function syntheticProfileLine(index: number, count: number, seed = 20_241_201): string {
  return JSON.stringify(profile(kindOf(index, count), index, prng(seed + index)));
}
