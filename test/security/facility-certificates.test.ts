// Issue 10 item 6: a facility is known by its TLS client certificate, as in the real WebAPI.
// Real certificates from onshi's authority, over a real HTTPS listener on 127.0.0.1, in process:
// the token is for the certificate's facility and no other; a missing (with the credential login
// off), foreign, expired, revoked or non-facility certificate is refused with its code.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createHash, X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { AUTHORITY_NAME, type Authority } from "../../src/card/authority.ts";
import { openAuthority, revokeCertificate } from "../../src/store/card-authority-store.ts";
import { issueFacilityCertificate } from "../../src/store/facility-certificate-store.ts";
import { type IssuedFacilityCertificate } from "../../src/card/facility-certificates.ts";
import { openReader } from "../../src/store/reader-device-store.ts";
import { generateRsaKeys, randomSerial, RSA_SHA256, x509 } from "../../src/card/x509.ts";
import { AUTHORITY_FILE } from "../../src/cli/commands/facilities.ts";
import type { Db } from "../../src/db/client.ts";
import { withCheckDigit } from "../../src/domain/check-digit.ts";
import { openMigrated } from "../../src/db/open.ts";
import { buildServer } from "../../src/http/server.ts";
import { openFacilityTls, type FacilityTls } from "../../src/http/tls.ts";
import { TokenService } from "../../src/http/tokens.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { onshi } from "../support/cli.ts";
import { testDatabases } from "../support/databases.ts";
import { FACILITY, OTHER_FACILITY, TARO, loadFixture } from "../support/fixture.ts";

const AUTH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
const SEARCH_BODY = {
  XmlMsg: {
    MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: FACILITY.code },
    MessageBody: { QualificationConfirmSearchInfo: { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0" } },
  },
};
const DAY_MS = 24 * 60 * 60 * 1000;

interface ClientIdentity {
  key: string;
  cert: string;
}

interface Answer {
  status: number;
  body: { status: string; errorCode?: string; result?: { idToken: string } };
}

/** POSTs `body` to the auth route over HTTPS, trusting only `ca`, presenting `identity` if given. */
function login(url: string, ca: string, identity: ClientIdentity | undefined, body: unknown): Promise<Answer> {
  return post(new URL(AUTH, url), ca, identity, body);
}

function post(url: URL, ca: string, identity: ClientIdentity | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: "POST", ca, ...identity, agent: false, headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** An authority with onshi's authority's name and another key: what another installation, or a forger, would have. */
async function impostorAuthority(now: Date): Promise<Authority> {
  const keys = await generateRsaKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: AUTHORITY_NAME,
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { certificate, signingKey: keys.privateKey };
}

const identityOf = (issued: IssuedFacilityCertificate): ClientIdentity => ({ key: issued.privateKeyPem, cert: issued.certificatePem });
const thumbprintOf = (issued: IssuedFacilityCertificate) => createHash("sha256").update(new X509Certificate(issued.certificatePem).raw).digest("base64url");

async function startTlsServer(db: Db, tokens: TokenService, tls: FacilityTls): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildServer({ oqs: { db, facilities: new FacilityDirectory(db), now: () => new Date(), characterCode: "0" }, tokens, tls });
  return { app, url: await app.listen({ port: 0, host: "127.0.0.1" }) };
}

for (const database of testDatabases()) {
  describe(`facility certificates over HTTPS on ${database.name}`, () => {
    let db: Db;
    const tokens = new TokenService(() => new Date());
    let strict: { app: FastifyInstance; url: string }; // certificates only
    let mixed: { app: FastifyInstance; url: string }; // certificates and the credential login
    let ca: string;
    let hospital: IssuedFacilityCertificate;
    let clinic: IssuedFacilityCertificate;
    let expired: IssuedFacilityCertificate;
    let revoked: IssuedFacilityCertificate;
    let foreign: IssuedFacilityCertificate;

    before(async () => {
      db = await database.open();
      await loadFixture(db);
      // TLS checks dates by the wall clock, so certificates are issued by it.
      const now = new Date();
      const authority = await openAuthority(db, now);
      hospital = await issueFacilityCertificate(db, authority, FACILITY.code, now);
      clinic = await issueFacilityCertificate(db, authority, OTHER_FACILITY.code, now);
      expired = await issueFacilityCertificate(db, authority, FACILITY.code, new Date(now.getTime() - 400 * DAY_MS), 365);
      revoked = await issueFacilityCertificate(db, authority, FACILITY.code, now);
      await revokeCertificate(db, authority, revoked.serial, now);
      foreign = await issueFacilityCertificate(db, await impostorAuthority(now), FACILITY.code, now);
      strict = await startTlsServer(db, tokens, await openFacilityTls(db, "127.0.0.1", false));
      mixed = await startTlsServer(db, tokens, await openFacilityTls(db, "127.0.0.1", true));
      ca = hospital.authorityPem;
    });
    after(async () => {
      await strict?.app.close();
      await mixed?.app.close();
      await db?.close();
    });

    test("a valid certificate gets a token for its own facility, with or without the code in the body", async () => {
      for (const body of [{}, { MedicalInstitutionCode: FACILITY.code }]) {
        const answer = await login(strict.url, ca, identityOf(hospital), body);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(await tokens.verify(`Bearer ${answer.body.result!.idToken}`, thumbprintOf(hospital)), FACILITY.code);
      }
      const other = await login(strict.url, ca, identityOf(clinic), {});
      assert.equal(await tokens.verify(`Bearer ${other.body.result!.idToken}`, thumbprintOf(clinic)), OTHER_FACILITY.code);
    });

    test("a certificate's token is bound to it: good over the same certificate, E2004 over another facility's or none", async () => {
      const token = (await login(mixed.url, ca, identityOf(hospital), {})).body.result!.idToken;
      const search = (identity: ClientIdentity | undefined) =>
        post(new URL("/oqs-api-pro/MSA01030/ILI01030SV01/search", mixed.url), ca, identity, SEARCH_BODY, { authorization: `Bearer ${token}` });
      const own = await search(identityOf(hospital));
      assert.equal(own.status, 200, JSON.stringify(own.body));
      for (const identity of [identityOf(clinic), undefined]) {
        const stolen = await search(identity);
        assert.equal(stolen.status, 401);
        assert.equal((stolen.body as unknown as { XmlMsg: { MessageHeader: { ErrorCode: string } } }).XmlMsg.MessageHeader.ErrorCode, "E2004");
      }
    });

    test("facility A's certificate with a body naming facility B is refused (E2029), even with B's credential", async () => {
      for (const server of [strict, mixed]) {
        const answer = await login(server.url, ca, identityOf(hospital), { MedicalInstitutionCode: OTHER_FACILITY.code, Credential: OTHER_FACILITY.credential });
        assert.equal(answer.status, 403);
        assert.equal(answer.body.errorCode, "E2029");
        assert.equal(answer.body.result, undefined);
      }
    });

    test("no certificate: refused (E2025) with the credential login off, even with the right credential; accepted when it is on", async () => {
      const credentials = { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential };
      const refused = await login(strict.url, ca, undefined, credentials);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.errorCode, "E2025");
      const accepted = await login(mixed.url, ca, undefined, credentials);
      assert.equal(accepted.status, 200);
      assert.equal(await tokens.verify(`Bearer ${accepted.body.result!.idToken}`), FACILITY.code);
    });

    test("a certificate from another authority (same name, another key) is refused (E2026), whatever the credential login", async () => {
      for (const server of [strict, mixed]) {
        const answer = await login(server.url, ca, identityOf(foreign), { MedicalInstitutionCode: FACILITY.code, Credential: FACILITY.credential });
        assert.equal(answer.status, 401);
        assert.equal(answer.body.errorCode, "E2026");
      }
    });

    test("an expired certificate is refused (E2027)", async () => {
      assert.ok(expired.notAfter < new Date(), "expired.notAfter < new Date()");
      const answer = await login(strict.url, ca, identityOf(expired), {});
      assert.equal(answer.status, 401);
      assert.equal(answer.body.errorCode, "E2027");
    });

    test("a revoked certificate is refused (E2028)", async () => {
      const answer = await login(strict.url, ca, identityOf(revoked), {});
      assert.equal(answer.status, 401);
      assert.equal(answer.body.errorCode, "E2028");
    });

    test("the same authority's reader certificate (CN = the facility code) is no facility certificate (E2026)", async () => {
      const reader = await openReader(db, await openAuthority(db, new Date()), FACILITY.code, new Date());
      const cert = new X509Certificate(Buffer.from(reader.certificateDer, "base64")).toString();
      const key = reader.key.export({ type: "pkcs8", format: "pem" }).toString();
      const answer = await login(strict.url, ca, { key, cert }, {});
      assert.equal(answer.status, 401);
      assert.equal(answer.body.errorCode, "E2026");
    });

    test("the server's certificate is the authority's, for 127.0.0.1, and a restart serves the same one", async () => {
      const first = await openFacilityTls(db, "127.0.0.1", false);
      const again = await openFacilityTls(db, "127.0.0.1", false);
      assert.equal(again.cert, first.cert);
      const served = new X509Certificate(first.cert);
      assert.ok(served.verify(new X509Certificate(ca).publicKey), "served.verify(new X509Certificate(ca).publicKey)");
      assert.equal(served.checkIP("127.0.0.1"), "127.0.0.1");
      assert.equal(served.checkHost("localhost"), "localhost");
    });
  });
}

describe("onshi facilities cert issue / revoke", () => {
  let dir: string;
  let dataDir: string;
  const out = () => join(dir, "certs");

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "onshi-facility-cert-"));
    dataDir = join(dir, "data");
    const db = await openMigrated({ dataDir: join(dataDir, "pglite") });
    await loadFixture(db);
    await db.close();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `onshi facilities cert ...` (in process) and returns its exit code and what it printed. */
  async function facilitiesCert(...args: string[]): Promise<{ code: number; printed: string }> {
    const { code, stdout } = await onshi(["facilities", "cert", ...args, "--data-dir", dataDir, "--json"]);
    return { code, printed: stdout };
  }

  /** Logs in over HTTPS, with the files the command wrote, to a server started on the command's database. */
  async function loginWithWrittenFiles(): Promise<{ answer: Answer; facility?: string }> {
    const read = (name: string) => readFile(join(out(), name), "utf8");
    const [cert, key, authority] = [await read(`${FACILITY.code}.crt`), await read(`${FACILITY.code}.key`), await read(AUTHORITY_FILE)];
    const db = await openMigrated({ dataDir: join(dataDir, "pglite") });
    const tokens = new TokenService(() => new Date());
    const server = await startTlsServer(db, tokens, await openFacilityTls(db, "127.0.0.1", false));
    try {
      const answer = await login(server.url, authority, { key, cert }, {});
      const thumbprint = createHash("sha256").update(new X509Certificate(cert).raw).digest("base64url");
      return { answer, facility: answer.body.result && (await tokens.verify(`Bearer ${answer.body.result.idToken}`, thumbprint)) };
    } finally {
      await server.app.close();
      await db.close();
    }
  }

  test("issue writes CODE.crt, CODE.key (owner only) and the CA; a server on the same database takes them for that facility", async () => {
    const issued = await facilitiesCert("issue", FACILITY.code, "--out", out());
    assert.equal(issued.code, 0);
    const answer = JSON.parse(issued.printed);
    assert.equal(answer.facilityCode, FACILITY.code);
    assert.equal((await stat(join(out(), `${FACILITY.code}.key`))).mode & 0o777, 0o600);
    const certificate = new X509Certificate(await readFile(join(out(), `${FACILITY.code}.crt`)));
    assert.match(certificate.subject, new RegExp(`CN=${FACILITY.code}`));
    assert.equal(certificate.serialNumber.toLowerCase(), answer.certificateSerial);
    assert.ok(certificate.verify(new X509Certificate(await readFile(join(out(), AUTHORITY_FILE))).publicKey), "certificate.verify(new X509Certificate(await readFile(join(out(), AUTHORITY_FILE))).publicKey)");
    const { answer: answered, facility } = await loginWithWrittenFiles();
    assert.equal(answered.status, 200);
    assert.equal(facility, FACILITY.code);
  });

  test("revoke takes the certificate's serial; the server then refuses it (E2028); an unknown serial is E2030", async () => {
    const serial = new X509Certificate(await readFile(join(out(), `${FACILITY.code}.crt`))).serialNumber;
    const revoked = JSON.parse((await facilitiesCert("revoke", serial)).printed);
    assert.deepEqual(revoked, { facilityCode: FACILITY.code, certificateSerial: serial.toLowerCase(), revoked: true });
    const { answer } = await loginWithWrittenFiles();
    assert.equal(answer.status, 401);
    assert.equal(answer.body.errorCode, "E2028");
    const unknown = await facilitiesCert("revoke", "0123456789abcdef");
    assert.equal(JSON.parse(unknown.printed).code, "E2030");
    assert.equal(unknown.code, 1);
  });

  test("an unregistered facility code is refused with E2001 and exit code 1, writing nothing", async () => {
    const out = join(dir, "refused");
    const refused = await facilitiesCert("issue", withCheckDigit("131099999"), "--out", out);
    const printed = JSON.parse(refused.printed);
    assert.equal(printed.code, "E2001");
    assert.match(printed.message, /医療機関コードが登録されていません/);
    assert.equal(refused.code, 1);
    await assert.rejects(stat(out), { code: "ENOENT" });
  });
});

test("serve refuses --no-credential-login without --tls (no way left to log in): exit code 2, before opening anything", async () => {
  const { code, stderr } = await onshi(["serve", "--no-credential-login", "--memory"]);
  assert.equal(code, 2);
  assert.match(stderr, /--no-credential-login には --tls が必要です/);
});
