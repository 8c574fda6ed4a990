// Requests the gateway could not read are never deleted: they are moved to `<root>/error` with a
// `.reason.txt` beside them (code, Japanese and English text, the answer's name), so a vendor can
// see what was wrong and drop the file again once fixed. Whatever the entry is (a symbolic link, a
// FIFO, a folder), it is the entry that moves, never what it points to.
import { lstat, rename } from "node:fs/promises";
import { join } from "node:path";
import { jstTimestamp } from "../domain/dates.ts";
import { ERROR_CODES, errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { syncFolder, writeDurably } from "../files/durable-write.ts";
import { fitName, NAME_MAX_BYTES } from "./file-names.ts";
import type { OqsFolders } from "./oqs-folders.ts";

export interface Rejection {
  code: ErrorCode;
  element?: string;
  detail: string;
  responseName: string;
}

const REASON = ".reason.txt";

/**
 * Moves req/<name> to error/, under a new name if one is already there or if the name with its
 * reason file's would be too long (the reason file names the original); returns that name.
 */
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
  await writeDurably(folders.error, `${target}${REASON}`, Buffer.from(reason, "utf8"));
  await rename(join(folders.req, name), join(folders.error, target));
  await syncFolder(folders.error);
  return target;
}

async function freeName(dir: string, name: string, stamp: string): Promise<string> {
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? "" : `.${stamp}${n > 1 ? `-${n}` : ""}`;
    const candidate = fitName(name, NAME_MAX_BYTES - REASON.length - suffix.length) + suffix;
    if (!(await present(join(dir, candidate))) && !(await present(join(dir, candidate + REASON)))) return candidate;
  }
}

/** Whether the entry itself exists (a dangling link does). */
async function present(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
