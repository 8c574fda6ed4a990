// modification-2025: 令和7年度 医療費助成の受給者証及び診察券のマイナンバーカードへの一体化に関する補助金
// (seed 004 l.160-399: 診療所 and 病院 leaflets). One combined application per facility
// (l.244, l.369): several projects are joined into one before the table is read; the 2024
// one-time rule's 「令和7年度以降の取扱は未定」 (seed 003 l.38) leaves a facility with a 2024
// modification project undecided here.
import type { Project, Scope } from "../profile.ts";
import { NOT_PUBLISHED, formatSource, type ProgramModule, type SubsidyResult, projectsOf } from "../engine.ts";
import { evaluate2024, evaluateModification, overrule, type ModificationData } from "./modification-common.ts";

const latest = (dates: (string | undefined)[]): string | undefined =>
  dates.some((d) => d === undefined) ? undefined : (dates as string[]).reduce((a, b) => (a > b ? a : b));

/** Projects filed as one application: costs added, scopes joined, the latest dates (each needs all). */
export function combineProjects(projects: Project[]): Project {
  const scopes = new Set(projects.map((p) => p.scope));
  const recipient = scopes.has("recipient_only") || scopes.has("recipient_and_card");
  const card = scopes.has("card_only") || scopes.has("recipient_and_card");
  const scope: Scope | undefined = scopes.has(undefined) ? undefined : recipient && card ? "recipient_and_card" : recipient ? "recipient_only" : "card_only";
  const costs = projects.map((p) => p.cost);
  const agencies = new Set(projects.map((p) => p.agency).filter((a) => a !== undefined));
  return {
    program: projects[0]!.program,
    ...(costs.every((c) => c !== undefined) ? { cost: (costs as number[]).reduce((a, b) => a + b, 0) } : {}),
    ...(scope ? { scope } : {}),
    ...(agencies.size > 0 ? { agency: [...agencies][0] } : {}),
    ...(latest(projects.map((p) => p.completedOn)) ? { completedOn: latest(projects.map((p) => p.completedOn)) } : {}),
    ...(latest(projects.map((p) => p.appliedOn)) ? { appliedOn: latest(projects.map((p) => p.appliedOn)) } : {}),
  };
}

export function modification2025Program(data: ModificationData, da: ModificationData, mhlw: ModificationData): ProgramModule {
  return {
    id: data.id,
    name: data.name,
    evaluate(profile, at, memo) {
      const found = projectsOf(profile, data.id);
      const first = found[0]!;
      const joined = found.length > 1 ? combineProjects(found.map((f) => f.project)) : first.project;
      const result = evaluateModification(data, profile, at, joined, first.index, da);
      const rest: SubsidyResult[] = [];
      if (found.length > 1) {
        const source = formatSource(data.oneApplication!.source);
        const indices = found.map((f) => f.index);
        result.details = { ...result.details, combinedProjects: indices };
        result.reasons.unshift(`projects[${indices.join("], projects[")}] は一括で申請するため、費用を合算して1件として計算します`);
        if (!result.sources.includes(source)) result.sources.push(source);
        for (const { index } of found.slice(1)) {
          rest.push({
            program: data.id,
            project: index,
            eligible: result.eligible,
            amount: result.eligible === false ? 0 : result.amount === null ? null : 0,
            reasons: [`projects[${first.index}] と一括で申請するため、補助額は projects[${first.index}] の結果に含めています`],
            sources: [source],
            details: { combinedInto: first.index },
          });
        }
      }
      // Seed 003 l.38: one of the 2024 subsidies, once; 令和7年度以降の取扱は未定.
      const has2024 = profile.projects?.some((p) => p.program === da.id || p.program === mhlw.id) ?? false;
      const earlier = has2024 ? evaluate2024(da, mhlw, profile, at, memo).filter((r) => r.project !== undefined && r.eligible !== false) : [];
      if (earlier.length > 0) {
        const source = formatSource(data.notBefore2025!.source);
        const which = earlier.map((r) => `projects[${r.project}] (${r.program})`).join("、");
        for (const r of [result, ...rest]) {
          overrule(r, null, `2024年度の改修補助 ${which} を受給する場合、令和7年度の補助も受けられるかは${NOT_PUBLISHED} (一回限りの扱いは令和7年度以降未定)`, source);
        }
      }
      return [result, ...rest];
    },
  };
}
