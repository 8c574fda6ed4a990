// `onshi facilities list|add`: the registered 医療機関等, and a new one with its WebAPI credential.
// `onshi facilities cert`: the authority's side of the 医療機関等向け電子証明書 — issue a facility's
// TLS client certificate and key into a folder (with the authority's certificate, which the
// facility's software trusts the server by), and revoke one (published on the authority's CRL).
import { Option, type Command } from "commander";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { openAuthority, revokeCertificate } from "../../store/card-authority-store.ts";
import { FACILITY_CERTIFICATE_DAYS } from "../../card/facility-certificates.ts";
import { facilityCertificateSerial, issueFacilityCertificate } from "../../store/facility-certificate-store.ts";
import { writePrivateFile } from "../../files/private-files.ts";
import { examples } from "../help.ts";
import { FACILITY_KIND_LABELS, FACILITY_KINDS, type FacilityKind } from "../../domain/facility-code.ts";
import { prefectureName } from "../../seed/places.ts";
import { checkNewFacility, registerFacility, type NewFacility } from "../../services/facility-registration.ts";
import { listFacilities } from "../../store/facility-store.ts";
import { readChangedBy } from "../../domain/medical-subsidy-use.ts";
import { OqsError } from "../../errors/catalogue.ts";
import type { MedicalSubsidyUseView } from "../../services/medical-subsidy-use.ts";
import { adminNow, inputError, runAdmin, runRoutedAdmin, withAdminFlags, type AdminFlags } from "../admin-command.ts";
import { usageError, type CliRun } from "../io.ts";
import { withDatabaseFlags } from "../options.ts";

/** The authority's certificate as written next to a facility's: the CA a client verifies the server with. */
export const AUTHORITY_FILE = "onshi-ca.crt";

export function registerFacilities(program: Command, cli: CliRun) {
  const facilities = program
    .command("facilities")
    .description("医療機関等の管理")
    .addHelpText("after", examples("onshi facilities list", "onshi facilities add 2712345673 --name なにわ医院 --kind medical_clinic", "onshi facilities cert issue 1310100019 --out certs"));
  registerListAndAdd(facilities, cli);
  registerMedicalSubsidy(facilities, cli);
  const cert = facilities
    .command("cert")
    .description("医療機関等向け電子証明書 (WebAPI の TLS クライアント証明書) の発行・失効")
    .addHelpText("after", examples("onshi facilities cert issue 1310100019 --out certs", "onshi facilities cert revoke 1A2B3C4D"));
  withAdminFlags(
    cert
      .command("issue <code>")
      .description("医療機関コードの証明書と秘密鍵を発行し、<code>.crt, <code>.key (所有者のみ読める), onshi-ca.crt を書き出す")
      .requiredOption("--out <dir>", "書き出すフォルダ (無ければ所有者のみのフォルダとして作る)")
      .option("--days <days>", "有効日数", String(FACILITY_CERTIFICATE_DAYS))
      .addHelpText("after", examples("onshi facilities cert issue 1310100019 --out certs      # certs/1310100019.crt, .key, onshi-ca.crt")),
  ).action(async (code: string, flags: AdminFlags & { out: string; days: string }) => {
    const days = Number(flags.days);
    if (!Number.isInteger(days) || days < 1 || days > 3650) throw usageError(`--days が不正です (1〜3650): ${flags.days}`);
    const out = resolve(flags.out);
    await runAdmin(
      cli,
      flags,
      async (db, now) => {
        const issued = await issueFacilityCertificate(db, await openAuthority(db, now), code, now, days);
        await mkdir(out, { recursive: true, mode: 0o700 });
        const files = { certificate: join(out, `${code}.crt`), key: join(out, `${code}.key`), authority: join(out, AUTHORITY_FILE) };
        await writePrivateFile(out, `${code}.key`, issued.privateKeyPem);
        await writeFile(files.certificate, issued.certificatePem);
        await writeFile(files.authority, issued.authorityPem);
        return { facilityCode: code, certificateSerial: issued.serial, notAfter: issued.notAfter.toISOString(), files };
      },
      (r) =>
        `証明書を発行しました: ${r.facilityCode} (シリアル ${r.certificateSerial}, ${r.notAfter} まで)
  証明書 ${r.files.certificate}
  秘密鍵 ${r.files.key}  (所有者のみ読める)
  認証局 ${r.files.authority}  (onshi serve --tls のサーバ証明書を確かめるのに使う)`,
    );
  });

  withAdminFlags(
    cert
      .command("revoke <serial>")
      .description("医療機関等の証明書を失効させる (認証局が新しい失効リストを公開する)")
      .addHelpText("after", examples("onshi facilities cert revoke 1A2B3C4D     # シリアルは cert issue が表示したもの")),
  ).action(
    async (serial: string, flags: AdminFlags) => {
      await runAdmin(
        cli,
        flags,
        async (db, now) => {
          const found = await facilityCertificateSerial(db, serial);
          await revokeCertificate(db, await openAuthority(db, now), found.serial, now);
          return { facilityCode: found.facilityCode, certificateSerial: found.serial, revoked: true };
        },
        (r) => `失効させました: ${r.facilityCode} (証明書 ${r.certificateSerial})`,
      );
    },
  );
}

function registerListAndAdd(facilities: Command, cli: CliRun) {
  withDatabaseFlags(
    facilities
      .command("list")
      .description("登録されている医療機関等を表示する")
      .option("--json", "JSON で出力する")
      .addHelpText("after", examples("onshi facilities list", "onshi facilities list --json")),
  ).action(async (flags: AdminFlags) => {
    await runAdmin(
      cli,
      flags,
      async (db) => ({ facilities: await listFacilities(db) }),
      ({ facilities }) =>
        facilities.length === 0
          ? "医療機関等は登録されていません。onshi facilities add で登録できます。"
          : facilities
              .map((f) => `${f.code}  ${FACILITY_KIND_LABELS[f.kind]}  ${prefectureName(f.prefecture)}${f.municipality ?? ""}  ${f.name}${f.hasCredential ? "" : "  (認証情報なし)"}`)
              .join("\n"),
    );
  });

  withDatabaseFlags(
    facilities
      .command("add <code>")
      .description("医療機関等を登録する (都道府県は医療機関コードの先頭2桁)。認証情報を省略すると生成し、一度だけ表示する")
      .requiredOption("--name <name>", "名称")
      .addOption(
        new Option("--kind <kind>", `種別: ${FACILITY_KINDS.map((k) => `${k} (${FACILITY_KIND_LABELS[k]})`).join(", ")}`).makeOptionMandatory(),
      )
      .option("--municipality <name>", "市区町村")
      .option("--credential <credential>", "WebAPI の認証情報 (12〜128 文字。省略すると生成する)")
      .option("--json", "JSON で出力する")
      .addHelpText(
        "after",
        examples("onshi facilities add 2712345673 --name なにわ医院 --kind medical_clinic --municipality 大阪市北区", "onshi facilities add 2742345677 --name なにわ薬局 --kind pharmacy --json"),
      ),
  ).action(async (code: string, flags: AdminFlags & { name: string; kind: FacilityKind; municipality?: string; credential?: string }) => {
    const facility: NewFacility = { code, name: flags.name, kind: flags.kind, municipality: flags.municipality, credential: flags.credential };
    try {
      checkNewFacility(facility);
    } catch (error) {
      throw inputError(error);
    }
    await runAdmin(
      cli,
      flags,
      (db) => registerFacility(db, facility),
      (f) =>
        `登録しました: ${f.code}  ${FACILITY_KIND_LABELS[f.kind]}  ${prefectureName(f.prefecture)}${f.municipality ?? ""}  ${f.name}` +
        (f.credential === undefined ? "" : `\n  認証情報: ${f.credential}\n  (この一度だけ表示します。保存されるのはハッシュだけで、あとから表示することはできません)`),
    );
  });
}

const jstMinute = (iso: string) => new Date(iso).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "short", timeStyle: "short" });

function describeUse(v: MedicalSubsidyUseView): string {
  const head = v.changed === false ? `変更はありません (すでに ${v.label})` : v.changed ? `${v.label} に変更しました` : `医療費助成情報: ${v.label}`;
  return [
    `${head}: ${v.facilityCode}`,
    ...(v.acceptedAt ? [`  利用規約への同意: ${jstMinute(v.acceptedAt)} ${v.acceptedBy}`] : []),
    ...v.changes.map((c) => `  ${jstMinute(c.changedAt)}  ${c.label}  ${c.changedBy}`),
  ].join("\n");
}

/** `onshi facilities medical-subsidy <code> [--use | --stop] [--by NAME]`: the OQS 環境設定 医療費助成情報. */
function registerMedicalSubsidy(facilities: Command, cli: CliRun) {
  withAdminFlags(
    facilities
      .command("medical-subsidy <code>")
      .description(
        "医療費助成情報 (環境設定) を表示する、または 利用する / 利用しない に変更する。利用する を選ぶと PMH の利用規約に同意したものとして、変更した人と日時を記録する。" +
          "利用する間、カードリーダーは医療費助成の同意画面を表示し、同意した患者の受給者証を資格確認の結果に含める",
      )
      .option("--use", "利用する に変更する")
      .option("--stop", "利用しない に変更する")
      .option("--by <name>", "変更する人の氏名 (--use, --stop で必須。記録に残る)")
      .addHelpText(
        "after",
        examples(
          "onshi facilities medical-subsidy 1310123458                      # 設定と変更の記録を表示する",
          "onshi facilities medical-subsidy 1310123458 --use --by 大橋　誠一",
          "onshi facilities medical-subsidy 1310123458 --stop --by 大橋　誠一 --json",
        ),
      ),
  ).action(async (code: string, flags: AdminFlags & { use?: boolean; stop?: boolean; by?: string }) => {
    if (flags.use && flags.stop) throw inputError(new OqsError("E8601"));
    const use = flags.use ? true : flags.stop ? false : undefined;
    if (use === undefined && flags.by !== undefined) throw inputError(new OqsError("E8601"));
    if (use !== undefined) {
      try {
        readChangedBy(flags.by);
      } catch (error) {
        throw inputError(error);
      }
    }
    await runRoutedAdmin(cli, flags, "facilities.medical-subsidy", { now: adminNow(flags), facility: code, use, by: flags.by }, describeUse);
  });
}
