// Reads an entry of `req` only if it is a regular file, and only the file that was looked at: a
// symbolic link is never followed (to /etc/passwd or nowhere), a FIFO never read (it would block),
// and an entry swapped between the look and the open is not read in its place.
import { constants, type Stats } from "node:fs";
import { lstat, open } from "node:fs/promises";

export type RequestEntry =
  | { type: "file"; bytes: Buffer; stats: Stats }
  /** Not a regular file: `what` says what it is, in English, for the reason file. */
  | { type: "special"; what: string }
  | { type: "tooLarge"; size: number }
  /** Taken back by its writer. */
  | { type: "gone" }
  /** Replaced or grown while being read: look again shortly. */
  | { type: "changed" };

// O_NOFOLLOW: a link put in place after lstat fails the open (ELOOP) instead of being followed.
// O_NONBLOCK: a FIFO put in place after lstat opens at once instead of waiting for a writer.
// Neither exists on Windows, where neither attack applies to a share in the same way.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Reads req/<name>; other errors (EACCES, EBUSY, EIO) are thrown to the caller. */
export async function readRequestEntry(path: string, maxBytes: number): Promise<RequestEntry> {
  let seen: Stats;
  try {
    seen = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { type: "gone" };
    throw error;
  }
  if (!seen.isFile()) return { type: "special", what: describe(seen) };
  if (seen.size > maxBytes) return { type: "tooLarge", size: seen.size };
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ELOOP" || code === "EMLINK") return { type: "changed" }; // EMLINK: FreeBSD's ELOOP
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.ino !== seen.ino || stats.dev !== seen.dev) return { type: "changed" };
    if (stats.size > maxBytes) return { type: "tooLarge", size: stats.size };
    // Room for one byte more than its size tells a file still growing (or cut short) from a complete one.
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length !== stats.size) return { type: "changed" };
    return { type: "file", bytes: buffer.subarray(0, length), stats };
  } finally {
    await handle.close();
  }
}

/** Whether req/<name> is still the file that was read (same file, size and time), so it may be removed. */
export async function isSameFile(path: string, before: Stats): Promise<boolean> {
  try {
    const now = await lstat(path);
    return now.isFile() && now.ino === before.ino && now.dev === before.dev && now.size === before.size && now.mtimeMs === before.mtimeMs;
  } catch {
    return false;
  }
}

function describe(stats: Stats): string {
  if (stats.isSymbolicLink()) return "a symbolic link";
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return "a device";
  return "not a regular file";
}
