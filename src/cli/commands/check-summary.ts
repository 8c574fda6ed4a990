// A readable Japanese summary of a 個別照会 answer for the terminal.
import { VALIDITY_LABELS } from "../../domain/validity.ts";
import { LIMIT_CLASSIFICATION_LABELS, PERSONAL_FAMILY_LABELS, SPECIFIC_DISEASE_LABELS } from "../../domain/code-labels.ts";
import { isTree, type XmlTree, type XmlValue } from "../../oqs/message-tree.ts";

export function describeAnswer(message: XmlTree): string {
  const root = message.XmlMsg as XmlTree;
  const header = root.MessageHeader as XmlTree;
  const body = root.MessageBody as XmlTree;
  if (header.SegmentOfResult !== "1") return `異常終了 ${header.ErrorCode}: ${header.ErrorMessage}`;
  if (body.ProcessingResultStatus !== "1") return `エラー ${body.ProcessingResultCode}: ${body.ProcessingResultMessage}`;
  const lines = [
    `資格確認日: ${dateText(header.QualificationConfirmationDate)}`,
    `資格有効性: ${body.QualificationValidity} ${VALIDITY_LABELS[body.QualificationValidity as string] ?? ""}`,
  ];
  const list = isTree(body.ResultList) ? body.ResultList.ResultOfQualificationConfirmation : undefined;
  for (const r of Array.isArray(list) ? (list as XmlTree[]) : []) {
    const family = PERSONAL_FAMILY_LABELS[r.PersonalFamilyClassification as string] ?? "";
    lines.push(
      `  ${r.Name} (${r.NameKana})${r.NameOfOther ? ` 通称 ${r.NameOfOther}${r.NameOfOtherKana ? ` (${r.NameOfOtherKana})` : ""}` : ""} 生年月日 ${dateText(r.Birthdate)}`,
      `    ${r.InsurerName} 保険者番号 ${r.InsurerNumber} 記号 ${r.InsuredCardSymbol ?? "-"} 番号 ${r.InsuredIdentificationNumber} 枝番 ${r.InsuredBranchNumber ?? "-"} ${family}`,
      `    資格取得 ${dateText(r.QualificationDate)}${r.DisqualificationDate ? ` 資格喪失 ${dateText(r.DisqualificationDate)}` : ""}${r.InsuredPartialContributionRatio ? ` 一部負担金 ${share(r.InsuredPartialContributionRatio)}` : ""}`,
    );
    const elderly = r.ElderlyRecipientCertificateInfo;
    if (isTree(elderly)) {
      lines.push(`    高齢受給者 ${share(elderly.ElderlyRecipientContributionRatio)} (${dateText(elderly.ElderlyRecipientValidStartDate)}〜${dateText(elderly.ElderlyRecipientValidEndDate)})`);
    }
    const limit = r.LimitApplicationCertificateRelatedInfo;
    if (isTree(limit)) {
      const flag = limit.LimitApplicationCertificateClassificationFlag as string;
      lines.push(
        `    限度額適用認定 ${LIMIT_CLASSIFICATION_LABELS[flag] ?? flag} (${flag}, ${dateText(limit.LimitApplicationCertificateValidStartDate)}〜${dateText(limit.LimitApplicationCertificateValidEndDate)})`,
      );
    }
    const diseases = isTree(r.SpecificDiseasesCertificateList) ? r.SpecificDiseasesCertificateList.SpecificDiseasesCertificateInfo : undefined;
    for (const d of Array.isArray(diseases) ? (diseases as XmlTree[]) : []) {
      const category = d.SpecificDiseasesDiseaseCategory as string;
      lines.push(
        `    特定疾病 ${SPECIFIC_DISEASE_LABELS[category] ?? category} 自己負担限度額 月 ${Number(d.SpecificDiseasesSelfPay).toLocaleString("ja-JP")}円 (${dateText(d.SpecificDiseasesValidStartDate)}〜${d.SpecificDiseasesValidEndDate ? dateText(d.SpecificDiseasesValidEndDate) : ""})`,
      );
    }
  }
  return lines.join("\n");
}

/** YYYYMMDD as YYYY-MM-DD. */
function dateText(value: XmlValue | undefined): string {
  const text = typeof value === "string" ? value : "";
  return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}` : text;
}

/** A ratio in percent, 3 digits ("020"), as 割 ("2割"). */
function share(value: XmlValue | undefined): string {
  return `${Number(value) / 10}割`;
}
