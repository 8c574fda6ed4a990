// Where `onshi serve`'s log goes and how it reads. Fastify logs through pino, which writes one JSON
// object a line; `--log-format json` keeps those lines, and the default turns each into one line a
// person reads: time, level, then an answer's facility, kind, result code and milliseconds. Not
// pino-pretty: the line is onshi's own few fields, and the formatter is these few lines.
import type { FastifyServerOptions } from "fastify";

export const LOG_FORMATS = ["text", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** pino's levels, most detailed first; LOG_LEVEL names one. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The fields of an answer's line, in the order the text shows them. */
export interface AnswerFields {
  facility?: string;
  /** The route (`POST /oqs-api-pro/…/search`) or, for a request file, its message kind. */
  kind: string;
  /** A request file's name (never a person's: names are the 連携アプリ's own numbering). */
  file?: string;
  /** OK, or the error code answered. */
  result: string;
  /** The HTTP status. */
  status?: number;
  ms: number;
}

/** Shown in the line's columns, or not at all (pino's own bookkeeping). */
const NOT_AS_KEY_VALUE = new Set(["level", "time", "msg", "pid", "hostname", "reqId", "err", "facility", "kind", "file", "result", "status", "ms"]);

/** The logger option of the server, its lines written to `out` in the format; JSON lines carry an ISO time. */
export function serverLogger(level: LogLevel, format: LogFormat, out: NodeJS.WritableStream): FastifyServerOptions["logger"] {
  const stream = format === "json" ? out : { write: (line: string) => out.write(textLine(line)) };
  return { level, stream, timestamp: () => `,"time":"${new Date().toISOString()}"` };
}

/** One of pino's JSON lines as text (a line that is not JSON passes as it is). */
export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const parts = [localTime(new Date(entry.time as string | number)), (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5)];
  if (typeof entry.kind === "string") {
    const answer = entry as unknown as AnswerFields;
    parts.push(answer.facility ?? "-", answer.kind, ...(answer.file ? [answer.file] : []), answer.result, ...(answer.status ? [String(answer.status)] : []), `${answer.ms}ms`);
  }
  if (typeof entry.msg === "string" && entry.msg !== "") parts.push(entry.msg);
  for (const [key, value] of Object.entries(entry)) {
    if (!NOT_AS_KEY_VALUE.has(key)) parts.push(`${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  const err = entry.err as string | { stack?: string; message?: string } | undefined;
  // A failure's stack (or its text) follows its line, indented, as pino-pretty shows it.
  const told = typeof err === "string" ? err : err && (err.stack ?? err.message ?? JSON.stringify(err));
  const stack = told ? `\n    ${told.split("\n").join("\n    ")}` : "";
  return `${parts.join(" ")}${stack}\n`;
}

/** The machine's local time to the millisecond (a clinic reads its own clock, not UTC). */
function localTime(at: Date): string {
  if (Number.isNaN(at.getTime())) return "-";
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `${date} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}
