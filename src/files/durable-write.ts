// Writes a file so that it is either absent or complete, even across a crash: a temp file in the
// same folder, fsync, rename over the final name, fsync the folder (so the rename itself is on
// disk before the request it answers is removed).
import { randomBytes } from "node:crypto";
import { open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

// A short dot name whatever the final name's length (a name near the file system's 255-byte limit
// must still be writable), ending in .tmp so that clients polling for their answer never pick it
// up. The pid says whose it is, so that a start can tell a crashed writer's leftovers from a live one's.
const TEMP_NAME = /^\.onshi-([0-9]+)-[0-9a-f]{12}\.tmp$/;

/** Temp files this process is writing now (their full paths). */
const writing = new Set<string>();

/** `mode` is the file's from its creation (the temp file is made with it), e.g. 0o600 for a key. */
export async function writeDurably(dir: string, name: string, bytes: string | Uint8Array, { mode = 0o666 } = {}): Promise<void> {
  const temp = join(dir, `.onshi-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
  writing.add(temp);
  try {
    const file = await open(temp, "wx", mode);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, join(dir, name));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    writing.delete(temp);
  }
  await syncFolder(dir);
}

/**
 * Removes the temp files a writer that died mid-write left in `dir` (ours by their name only, never
 * another file): those of a process that is gone, or of this one (a restarted container reuses
 * the pid) that it is not writing now. Returns their names.
 */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const owner = TEMP_NAME.exec(entry.name)?.[1];
    if (owner === undefined || !entry.isFile() || writing.has(join(dir, entry.name)) || isOtherLiveProcess(Number(owner))) continue;
    await rm(join(dir, entry.name), { force: true });
    removed.push(entry.name);
  }
  return removed;
}

function isOtherLiveProcess(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, but another user's
  }
}

export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch (error) {
    // Windows cannot fsync a directory (EPERM/EISDIR); its renames are durable as they are.
    if (!["EPERM", "EISDIR", "EINVAL", "EBADF"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
  } finally {
    await handle.close();
  }
}
