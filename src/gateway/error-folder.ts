// Requests the gateway could not read are never deleted: they are moved to `<root>/error` with a
// `.reason.txt` beside them (code, Japanese and English text, the answer's name), so a vendor can
// see what was wrong and drop the file again once fixed.
import { access, rename } from "node:fs/promises";
import { join } from "node:path";
import { jstTimestamp } from "../domain/dates.ts";
import { ERROR_CODES, errorMessage, type ErrorCode } from "../oqs/error-codes.ts";
import { syncFolder, writeDurably } from "./durable-write.ts";
import type { OqsFolders } from "./oqs-folders.ts";

export interface Rejection {
  code: ErrorCode;
  element?: string;
  detail: string;
  responseName: string;
}

/** Moves req/<name> to error/, under a new name if one is already there; returns that name. */
export async function moveAside(folders: OqsFolders, name: string, why: Rejection, now: Date): Promise<string> {
  const target = await freeName(folders.error, name, jstTimestamp(now));
  const reason = [
    `file: ${name}`,
    `time: ${jstTimestamp(now)}`,
    `code: ${why.code}`,
    `ja: ${errorMessage(why.code, why.element)}`,
    `en: ${ERROR_CODES[why.code].en} (${why.detail})`,
    `answer: res/${why.responseName}`,
    "",
  ].join("\n");
  await writeDurably(folders.error, `${target}.reason.txt`, Buffer.from(reason, "utf8"));
  await rename(join(folders.req, name), join(folders.error, target));
  await syncFolder(folders.error);
  return target;
}

async function freeName(dir: string, name: string, stamp: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name}.${stamp}${n > 1 ? `-${n}` : ""}`;
    try {
      await access(join(dir, candidate));
    } catch {
      return candidate;
    }
  }
}
