// The progress of a long command (seed, simulate) on stderr: a bar on a terminal, a line every few
// seconds otherwise, nothing for --json.
import cliProgress from "cli-progress";
import type { CliRun } from "./io.ts";

/** A bar on a terminal, a line every few seconds otherwise, nothing for --json. */
export function progressReporter(cli: CliRun, total: number, enabled: boolean, unit: string) {
  if (!enabled) return { update: () => {}, stop: () => {} };
  if (cli.io.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: cli.io.stderr, format: progressLine, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { unit });
    return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update: (done: number) => {
      if (done < total && performance.now() - last < 5000) return;
      last = performance.now();
      cli.warn(`投入中 ${done}/${total} ${unit}`);
    },
    stop: () => {},
  };
}

/**
 * The bar's line. The remaining time only once there is progress to estimate it from: before,
 * cli-progress's estimate is a placeholder ("0s", then "INF" while nothing is done yet).
 */
export function progressLine(options: cliProgress.Options, params: cliProgress.Params, payload: { unit?: string } = {}): string {
  const bar = cliProgress.Format.BarFormat(params.progress, options);
  const estimable = typeof params.eta === "number" && Number.isFinite(params.eta) && params.value > 0 && params.value < params.total;
  const remaining = estimable ? ` 残り ${cliProgress.Format.TimeFormat(params.eta, options, 5)}` : "";
  return `投入中 [${bar}] ${Math.floor(params.progress * 100)}% ${params.value}/${params.total} ${payload.unit ?? "人"}${remaining}`;
}
