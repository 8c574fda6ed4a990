// Writes a file so that it is either absent or complete, even across a crash: a temp file in the
// same folder, fsync, rename over the final name, fsync the folder (so the rename itself is on
// disk before the request it answers is removed).
import { open, rename, rm } from "node:fs/promises";
import { join } from "node:path";

let sequence = 0;

export async function writeDurably(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  // A dot name ending in .tmp: clients polling for their answer's name never pick it up.
  const temp = join(dir, `.${name}.${process.pid}.${++sequence}.tmp`);
  try {
    const file = await open(temp, "wx");
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
  }
  await syncFolder(dir);
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
