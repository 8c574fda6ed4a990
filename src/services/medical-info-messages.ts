// 薬剤情報 (YZKsiquc01) and 特定健診情報 (TKKsiquc01) as message kinds (spec §3): a checked request
// in, the patient's information as the facility may see it (services/medical-info.ts decides and
// audits), and the answer as XML, with ResultCode 1, or, for a refusal, the whole-message failure
// with ResultCode 2 and the reason in MessageContents.
import { OqsError, errorMessage } from "../errors/catalogue.ts";
import type { MedicalInfoCategory } from "../domain/medical-history.ts";
import type { XmlTree } from "../oqs/message-tree.ts";
import { checkupInfoBody, checkupPerson, drugInfoBody, drugPerson, medicalInfoHeader, resultElements } from "../oqs/medical-info-answer.ts";
import type { CheckupInfoRequest, DrugInfoRequest } from "../oqs/messages/medical-info.ts";
import { message } from "../oqs/response-builder.ts";
import type { PersonRecord } from "../domain/qualification.ts";
import { viewMedicalInfoByKey, type MedicalInfoView } from "./medical-info.ts";
import { checkupPdf, drugInfoPdf, type PdfPerson } from "./medical-pdf.ts";
import type { HandlerEnv, HandlerResult, KindHandler } from "./pipeline/types.ts";
import { insuranceKey } from "./qualification-check.ts";

type Request = DrugInfoRequest | CheckupInfoRequest;

/** Reads the patient the request's key names, for the categories asked, in the request's period. */
async function view(
  request: Request,
  categories: MedicalInfoCategory[],
  { ctx, caller, now }: HandlerEnv,
  render?: (view: MedicalInfoView) => Promise<Buffer>,
): Promise<MedicalInfoView> {
  const { MessageHeader: h, MessageBody: b } = request.XmlMsg;
  if (b.StartDate && b.EndDate && b.StartDate > b.EndDate) throw new OqsError("E1016", "StartDate");
  return viewMedicalInfoByKey(ctx.db, {
    facilityCode: h.MedicalInstitutionCode,
    key: insuranceKey({
      InsurerNumber: h.InsurerNumber,
      InsuredCardSymbol: h.InsuranceCardSymbol,
      InsuredIdentificationNumber: h.InsuredPersonIdentificationNumber,
      InsuredBranchNumber: h.BranchNumber,
    }),
    categories,
    actor: { kind: "system" },
    channel: caller.channel ?? "webapi",
    at: now,
    fromMonth: b.StartDate || undefined,
    toMonth: b.EndDate || undefined,
    render,
  });
}

const pdfPerson = (p: PersonRecord): PdfPerson => ({ name: p.name, kana: p.nameKana, birthdate: p.birthdate, sex: p.sex });

function header(request: Request, { ctx, now }: HandlerEnv, person: XmlTree): XmlTree {
  const h = request.XmlMsg.MessageHeader;
  return {
    ...medicalInfoHeader({ now, characterCode: ctx.characterCode, facilityCode: h.MedicalInstitutionCode, arbitraryFileIdentifier: h.ArbitraryFileIdentifier || undefined }),
    ...person,
  };
}

const failureHeader = (failure: OqsError) => resultElements(errorMessage(failure.code, failure.element));

/** FileCategory 3 and 4 add 診療情報 (with 手術 by its own consent) to the drugs; 1 and 3 are PDFs. */
const WITH_TREATMENTS = new Set(["3", "4"]);
const DRUG_PDF = new Set(["1", "3"]);
const CHECKUP_PDF = "1";

/** A PDF answer: the XML carries ResultCode 1 and the person, the PDF the history. */
export const DRUG_INFO: KindHandler<DrugInfoRequest> = {
  async answer(request, env): Promise<HandlerResult> {
    const category = request.XmlMsg.MessageBody.FileCategory;
    const withTreatments = WITH_TREATMENTS.has(category);
    const render = DRUG_PDF.has(category)
      ? (v: MedicalInfoView) => drugInfoPdf({ person: pdfPerson(v.person), history: v.history, asOf: env.now, withTreatments })
      : undefined;
    const seen = await view(request, withTreatments ? ["pharmacists", "diagnosis", "operation"] : ["pharmacists"], env, render);
    const head = header(request, env, drugPerson(seen.person));
    if (seen.document) return { message: message(head, {}), pdf: seen.document };
    return { message: message(head, drugInfoBody(seen.history, request.XmlMsg.MessageHeader.MedicalInstitutionCode, withTreatments)) };
  },
  failureHeader,
};

export const CHECKUP_INFO: KindHandler<CheckupInfoRequest> = {
  async answer(request, env): Promise<HandlerResult> {
    const render =
      request.XmlMsg.MessageBody.FileCategory === CHECKUP_PDF
        ? (v: MedicalInfoView) => checkupPdf({ person: pdfPerson(v.person), checkups: v.history.checkups, asOf: env.now })
        : undefined;
    const seen = await view(request, ["specificHealthCheckups"], env, render);
    const head = header(request, env, checkupPerson(seen.person));
    if (seen.document) return { message: message(head, {}), pdf: seen.document };
    return { message: message(head, checkupInfoBody(seen.history.checkups)) };
  },
  failureHeader,
};
