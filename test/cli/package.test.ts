// The package as a user outside the clone gets it: `npm pack`, `npm install -g` of the tarball into
// a folder of its own, then the installed `onshi` from an empty folder elsewhere — it must start,
// answer a 個別照会 and write nothing where it was started.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { startServe } from "../support/onshi-bin.ts";

const exec = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const { version } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };

describe("the packed package, installed outside the clone", { timeout: 180_000 }, () => {
  let dir: string;
  let onshi: string;
  let packed: { path: string }[];
  /** The installed command's environment: this node first on PATH, no database URL from the clone's tests. */
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-package-"));
    env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, DATABASE_URL: "" };
    // scripts/test.sh has built dist/; this builds it only when run alone after an edit. Packing
    // then skips `prepare`, which would rebuild dist/ under tests running the bin in parallel.
    await exec(process.execPath, [join(root, "scripts/build.js"), "--if-stale"]);
    const { stdout } = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, env });
    const [tarball] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed = tarball!.files;
    const prefix = join(dir, "prefix");
    await exec("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball!.filename)], { cwd: dir, env });
    onshi = join(prefix, "bin", "onshi");
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("the tarball holds the bin, the compiled code and the files it reads, and no sources, tests or benchmarks", () => {
    const paths = packed.map((f) => f.path);
    for (const needed of ["package.json", "README.md", "bin/onshi.js", "dist/cli/main.js", "dist/db/migrations/001_core.sql", "dist/subsidy/facility-profile.schema.json", "dist/web/public/reader.html"]) {
      assert.ok(paths.includes(needed), `${needed} in ${paths.join(", ")}`);
    }
    assert.deepEqual(paths.filter((p) => /^(src|test|bench|scripts|docs)\/|\.ts$/.test(p)), []);
  });

  test("onshi --version and --help work from any folder", async () => {
    const elsewhere = await mkdtemp(join(dir, "cwd-"));
    assert.equal((await exec(onshi, ["--version"], { cwd: elsewhere, env })).stdout.trim(), version);
    assert.match((await exec(onshi, ["--help"], { cwd: elsewhere, env })).stdout, /^使い方: onshi /);
  });

  test("onshi serve --demo --memory from an empty folder answers a 個別照会 and leaves the folder empty", async () => {
    const elsewhere = join(dir, "empty");
    await mkdir(elsewhere);
    const { child, url } = await startServe(["--demo", "--memory", "--port", "0"], env, { command: onshi, cwd: elsewhere });
    try {
      const login = await fetch(`${url}/oqs-api-pro/MSA12020/ILI12020SV01/auth`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ MedicalInstitutionCode: "1310100019", Credential: "demo-hospital" }),
      });
      const token = ((await login.json()) as { result: { idToken: string } }).result.idToken;
      const search = await fetch(`${url}/oqs-api-pro/MSA01030/ILI01030SV01/search`, {
        method: "POST",
        headers: { "content-type": "application/json;charset=UTF-8", authorization: token },
        body: JSON.stringify({
          XmlMsg: {
            MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "1310100019" },
            MessageBody: {
              QualificationConfirmSearchInfo: {
                InsurerNumber: "01130012",
                InsuredCardSymbol: "4410",
                InsuredIdentificationNumber: "8001",
                InsuredBranchNumber: "00",
                Birthdate: "19800515",
                LimitApplicationCertificateRelatedConsFlg: "0",
              },
            },
          },
        }),
      });
      assert.equal(search.status, 200);
      const body = ((await search.json()) as { XmlMsg: { MessageBody: { QualificationValidity: string; ResultList: { ResultOfQualificationConfirmation: { Name: string } }[] } } }).XmlMsg.MessageBody;
      assert.equal(body.QualificationValidity, "1", JSON.stringify(body));
      assert.equal(body.ResultList[0]!.ResultOfQualificationConfirmation.Name, "山田　太郎");
    } finally {
      child.kill("SIGTERM");
      const [code] = await once(child, "exit");
      assert.equal(code, 0, "a normal stop");
    }
    assert.deepEqual(await readdir(elsewhere), []);
  });
});
