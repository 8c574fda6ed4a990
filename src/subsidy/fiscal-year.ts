// 年度: the Japanese fiscal year, April to March, named by the year it starts in. The 補助金台帳's
// totals (第13) and the retention rule (第5 1(5)) count in it.

/** The 年度 of a YYYY-MM-DD date: 2024-03-31 → 2023, 2024-04-01 → 2024. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 4 ? year : year - 1;
}
