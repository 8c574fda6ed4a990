// A PostgreSQL cluster of the test's own, in a temporary folder and on a free port, that the test
// may restart and kill at will (never the machine's shared server). initdb refuses to run as
// root, so when the tests run as root the cluster belongs to the `postgres` OS user.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface OwnPostgres {
  /** postgres://… of the cluster's `postgres` database. */
  url: string;
  /** `pg_ctl restart -m fast`: open connections are terminated (57P01). */
  restart(): Promise<void>;
  /** SIGKILL of the postmaster; returns once its backends, noticing, have ended too. */
  kill(): Promise<void>;
  /** Starts the cluster again (after kill(): with crash recovery). */
  start(): Promise<void>;
  /** Stops the cluster and removes its folder. */
  remove(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder with initdb and pg_ctl, if any. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

export async function startOwnPostgres(bin: string): Promise<OwnPostgres> {
  const dir = await mkdtemp(join(tmpdir(), "onshi-own-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout), Number(gid));
  }
  const data = join(dir, "data");
  const port = await freePort();
  const tool = (name: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, name), ...args]) : run(join(bin, name), args);
  // fsync off: only the postmaster dies here, never the machine, so the page cache keeps every write.
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`;
  const pgCtl = (...args: string[]) => tool("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "30", ...args]);
  await tool("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const start = async () => void (await pgCtl("-o", settings, "start"));
  // A test process that dies anyway must not leave a postmaster behind.
  const stopAtExit = () => {
    const args = ["-D", data, "-m", "immediate", "stop"];
    try {
      if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args], { stdio: "ignore" });
      else execFileSync(join(bin, "pg_ctl"), args, { stdio: "ignore" });
    } catch {
      // already stopped
    }
  };
  process.once("exit", stopAtExit);
  await start();
  const postmasterPid = async () => Number((await readFile(join(data, "postmaster.pid"), "utf8")).split("\n")[0]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => void (await pgCtl("-o", settings, "-m", "fast", "restart")),
    async kill() {
      const pid = await postmasterPid();
      const children = (await run("pgrep", ["-P", String(pid)]).catch(() => ({ stdout: "" }))).stdout.split(/\s+/).filter(Boolean).map(Number);
      process.kill(pid, "SIGKILL");
      // The orphaned backends end on noticing the postmaster's death; a new postmaster refuses
      // to start while they still hold the shared memory.
      const deadline = Date.now() + 10_000;
      while ([pid, ...children].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    start,
    async remove() {
      process.off("exit", stopAtExit);
      await pgCtl("-m", "immediate", "stop").catch(() => {});
      // Exiting backends may still be writing files for a moment after pg_ctl returns.
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
