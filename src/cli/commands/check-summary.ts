// A readable Japanese summary of a 個別照会 answer for the terminal.
import { VALIDITY_LABELS } from "../../domain/validity.ts";
import { isTree, type XmlTree } from "../../oqs/message-tree.ts";

export function describeAnswer(message: XmlTree): string {
  const root = message.XmlMsg as XmlTree;
  const header = root.MessageHeader as XmlTree;
  const body = root.MessageBody as XmlTree;
  if (header.SegmentOfResult !== "1") return `異常終了 ${header.ErrorCode}: ${header.ErrorMessage}`;
  if (body.ProcessingResultStatus !== "1") return `エラー ${body.ProcessingResultCode}: ${body.ProcessingResultMessage}`;
  const lines = [`資格有効性: ${body.QualificationValidity} ${VALIDITY_LABELS[body.QualificationValidity as string] ?? ""}`];
  const list = isTree(body.ResultList) ? body.ResultList.ResultOfQualificationConfirmation : undefined;
  for (const r of Array.isArray(list) ? (list as XmlTree[]) : []) {
    lines.push(
      `  ${r.Name} (${r.NameKana}) 生年月日 ${r.Birthdate}`,
      `    ${r.InsurerName} 保険者番号 ${r.InsurerNumber} 記号 ${r.InsuredCardSymbol ?? "-"} 番号 ${r.InsuredIdentificationNumber} 枝番 ${r.InsuredBranchNumber ?? "-"}`,
      `    資格取得 ${r.QualificationDate}${r.DisqualificationDate ? ` 資格喪失 ${r.DisqualificationDate}` : ""}`,
    );
    if (isTree(r.LimitApplicationCertificateRelatedInfo)) {
      lines.push(`    限度額適用区分 ${r.LimitApplicationCertificateRelatedInfo.LimitApplicationCertificateClassificationFlag}`);
    }
  }
  return lines.join("\n");
}
