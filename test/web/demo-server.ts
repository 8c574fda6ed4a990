// The server the browser tests talk to: in this process, on a free port, with a fresh PGlite
// database holding the demo data and a temporary OQS root, its clock running from the demo date.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clockFrom } from "../../src/clock.ts";
import { openDb, type Db } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import { buildServer } from "../../src/http/server.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { DEMO_DATE, loadDemo } from "../../src/seed/demo.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { faceFolder } from "../../src/gateway/face-file.ts";
import { registerWebPages } from "../../src/web/plugin.ts";

export interface DemoServer {
  url: string;
  db: Db;
  oqsRoot: string;
  /** Cuts every open connection, the live streams included (as a network loss would). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** `now`: the server's clock (a test that moves time passes its own); by default it runs from the demo date, 09:30. */
export async function startDemoServer(now: () => Date = clockFrom(`${DEMO_DATE}T09:30:00+09:00`)): Promise<DemoServer> {
  const db = await openDb({});
  await migrate(db);
  await loadDemo(db);
  const oqsRoot = await mkdtemp(join(tmpdir(), "onshi-web-oqs-"));
  const app = await buildServer({
    oqs: { db, facilities: new FacilityDirectory(db), now, characterCode: "0" },
    tokens: new TokenService(now, 3600),
    faceFiles: faceFolder(join(oqsRoot, "face")),
    simulator: true,
  });
  await registerWebPages(app, { oqs: { root: oqsRoot }, demo: { now } });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    db,
    oqsRoot,
    dropConnections: () => app.server.closeAllConnections(),
    async close() {
      await app.close();
      await db.close();
      await rm(oqsRoot, { recursive: true, force: true });
    },
  };
}
