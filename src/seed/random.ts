// A small seeded PRNG (sfc32) so that a population is the same for the same --seed on every
// machine and Node version; Math.random cannot be seeded.
import { dayNumber, isoOf } from "./calendar.ts";

const runningTotals = new WeakMap<object, Float64Array>();

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Any safe integer; its high bits matter too (seeds 1 and 2^32+1 differ). */
  constructor(seed: number) {
    this.a = seed >>> 0;
    this.b = Math.floor(seed / 4294967296) >>> 0;
    this.c = 0xb7e15162;
    this.d = 0x9e3779b9;
    for (let i = 0; i < 20; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks earlier items more often (P(index < k) = (k/n)^(1/skew)), for lists ordered by frequency. */
  pickSkewed<T>(items: readonly T[], skew = 1.6): T {
    return items[Math.floor(this.next() ** skew * items.length)]!;
  }

  /** Picks by weight: [[value, weight], …] (the running totals are computed once per list). */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let totals = runningTotals.get(choices);
    if (!totals) {
      totals = new Float64Array(choices.length);
      let sum = 0;
      choices.forEach(([, w], i) => (totals![i] = sum += w));
      runningTotals.set(choices, totals);
    }
    const x = this.next() * totals[totals.length - 1]!;
    let lo = 0;
    let hi = totals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < totals[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return choices[lo]![0];
  }

  /** A day between two 'YYYY-MM-DD' dates, both included. */
  day(from: string, to: string): string {
    const a = dayNumber(from);
    return isoOf(a + Math.floor(this.next() * (dayNumber(to) - a + 1)));
  }
}
