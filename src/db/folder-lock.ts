// One writer per embedded database: PGlite is a whole PostgreSQL inside one process, so two
// processes on one data folder each keep their own state in memory and overwrite each other's
// files. The process that opens the folder holds a lock file in it, naming the process and, for
// `onshi serve`, the URL (and admin token) through which other commands reach the data instead.
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { errorMessage } from "../errors/catalogue.ts";
import { writePrivateFile } from "../files/private-files.ts";

export const LOCK_FILE = "onshi.lock";

/** The server holding a folder, as its lock file names it. */
export interface LockServer {
  url: string;
  /** Sent by commands run through the server; readable, like the database files themselves, by the folder's owner only. */
  adminToken: string;
  /** The authority's certificate, to check the server's with (`serve --tls`). */
  ca?: string;
}

export interface LockHolder {
  pid: number;
  /** The process's start in clock ticks since boot (Linux's /proc/PID/stat): a pid reused by a later process does not match. */
  startTicks?: string;
  startedAt: string;
  /** The holder's command line, as shown to whoever is refused. */
  command: string;
  server?: LockServer;
}

/** The folder is held by another live process (E9200); the message names it and what to do. */
export class FolderInUse extends Error {
  readonly exitCode = 1;
  constructor(
    readonly folder: string,
    readonly holder: LockHolder,
  ) {
    const routed = holder.server ? "\n  (cards・seed・check・audit verify はこのサーバを通して実行されます。このコマンドはサーバを停止してから実行してください)" : "";
    super(`E9200 ${errorMessage("E9200")}\n  データフォルダ: ${folder}\n  使用中のプロセス: ${describeHolder(holder)}${routed}`);
  }
}

export function describeHolder(holder: LockHolder): string {
  return [`pid ${holder.pid}`, holder.command, `${holder.startedAt} 起動`, holder.server?.url].filter(Boolean).join(", ");
}

export interface FolderLock {
  release(): Promise<void>;
}

/**
 * Takes the folder's lock, or throws FolderInUse naming the live holder. A lock whose process is
 * gone (killed with kill -9, a crash) or whose pid now belongs to a later process is stale and
 * taken over.
 */
export async function lockFolder(folder: string): Promise<FolderLock> {
  const path = join(folder, LOCK_FILE);
  const mine = await ownHolder();
  // Written whole under a name of our own, then linked to the lock's name: link fails if the name
  // exists, so of two processes starting at once one gets the lock, and no one reads it half-written.
  const draft = join(folder, `.${LOCK_FILE}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await writeFile(draft, JSON.stringify(mine), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(draft, path);
        return { release: () => releaseLock(path) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readHolder(path);
      if (holder && (await isAlive(holder))) throw new FolderInUse(folder, holder);
      // Stale (or taken over meanwhile by a process that will win the next link): try again, twice at most.
      if (attempt === 2) throw new FolderInUse(folder, holder ?? mine);
      await rm(path, { force: true });
    }
  } finally {
    await rm(draft, { force: true });
  }
}

/** The live process holding `folder`, if any. */
export async function liveHolder(folder: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(join(folder, LOCK_FILE));
  return holder && (await isAlive(holder)) ? holder : undefined;
}

/** A fresh admin token for a server to name in its lock (announceServer). */
export function newAdminToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Names this process's server in the lock it holds (0600, through a temp file), so other commands reach the data through it. */
export async function announceServer(folder: string, server: LockServer): Promise<void> {
  const holder = await readHolder(join(folder, LOCK_FILE));
  if (holder?.pid !== process.pid) throw new Error(`${folder} のロックをこのプロセスが持っていません`);
  await writePrivateFile(folder, LOCK_FILE, JSON.stringify({ ...holder, server }));
}

async function releaseLock(path: string): Promise<void> {
  // Only our own: a lock another process took over (ours judged stale) stays theirs.
  if ((await readHolder(path))?.pid === process.pid) await rm(path, { force: true });
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, "utf8")) as LockHolder;
    return Number.isSafeInteger(holder?.pid) && holder.pid > 0 ? holder : undefined;
  } catch {
    // Missing, half-written by a process killed while writing it, or not ours: nothing holds it.
    return undefined;
  }
}

async function ownHolder(): Promise<LockHolder> {
  return {
    pid: process.pid,
    startTicks: await startTicks(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    command: commandLine(),
  };
}

async function isAlive(holder: LockHolder): Promise<boolean> {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (holder.startTicks === undefined) return true;
  const now = await startTicks(holder.pid);
  return now === undefined || now === holder.startTicks;
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces and parentheses); undefined without /proc. */
async function startTicks(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function commandLine(): string {
  const [script, ...args] = process.argv.slice(1);
  const name = script === undefined ? process.argv0 : /^onshi(\.js)?$/.test(basename(script)) ? "onshi" : script;
  return [name, ...args].join(" ");
}
