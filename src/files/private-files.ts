// Files only their owner may read: the embedded database (credential hashes, the authority's,
// cards' and readers' private keys) and the key files onshi writes. umask cannot be relied on
// (PGlite's file system sets 0666 itself), so modes are set explicitly.
import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeDurably } from "./durable-write.ts";

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/** Creates `dir` (its parents as usual) as owner-only, or makes an existing one so. */
export async function privateFolder(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir, { mode: FOLDER_MODE }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
  await chmod(dir, FOLDER_MODE);
}

/** Every folder under `dir` 0700 and every file 0600 (symbolic links are left alone, never followed). */
export async function restrictTree(dir: string): Promise<void> {
  await restrictPath(dir);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await restrictTree(path);
    else if (!entry.isSymbolicLink()) await restrictPath(path);
  }
}

async function restrictPath(path: string): Promise<void> {
  try {
    const stat = await lstat(path);
    if (stat.isSymbolicLink()) return;
    const mode = stat.isDirectory() ? FOLDER_MODE : FILE_MODE;
    if ((stat.mode & 0o777) !== mode) await chmod(path, mode);
  } catch (error) {
    // A file the database removed between listing and chmod needs no mode.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * Writes `bytes` to `dir/name` readable by the owner only: written durably through a temp file
 * created 0600, then renamed over the name, so neither a new nor an existing file is ever readable
 * by others.
 */
export function writePrivateFile(dir: string, name: string, bytes: string | Uint8Array): Promise<void> {
  return writeDurably(dir, name, bytes, { mode: FILE_MODE });
}
