// `onshi reset`: what onshi keeps in a data folder, and deleting it. Only onshi's own entries are
// deleted (never the folder's other files), so a mistaken --data-dir cannot take a user's files.
import { readdir, rm, rmdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { OQS_FOLDER, PGLITE_FOLDER } from "../config.ts";

export interface DataFolder {
  /** The folder, absolute. */
  dir: string;
  /** False when there is no such folder. */
  exists: boolean;
  /** onshi's entries in it, absolute: the embedded database and the OQS root, when there. */
  entries: string[];
}

export async function readDataFolder(dataDir: string): Promise<DataFolder> {
  const dir = resolve(dataDir);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (names === undefined) return { dir, exists: false, entries: [] };
  return { dir, exists: true, entries: [PGLITE_FOLDER, OQS_FOLDER].filter((n) => names.includes(n)).map((n) => join(dir, n)) };
}

/** Deletes onshi's entries, then the folder itself if nothing else is left in it. */
export async function deleteDataFolder(folder: DataFolder): Promise<void> {
  for (const entry of folder.entries) await rm(entry, { recursive: true, force: true });
  await rmdir(folder.dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST" && error.code !== "ENOENT") throw error;
  });
}
