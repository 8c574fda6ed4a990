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
import { viewMedicalInfoByKey, type MedicalInfoView } from "./medical-info.ts";
import type { HandlerEnv, HandlerResult, KindHandler } from "./pipeline/types.ts";
import { insuranceKey } from "./qualification-check.ts";

type Request = DrugInfoRequest | CheckupInfoRequest;

/** Reads the patient the request's key names, for the categories asked, in the request's period. */
async function view(
  request: Request,
  categories: MedicalInfoCategory[],
  { ctx, caller, now }: HandlerEnv,
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
  });
}


function header(request: Request, { ctx, now }: HandlerEnv, person: XmlTree): XmlTree {
  const h = request.XmlMsg.MessageHeader;
  return {
    ...medicalInfoHeader({ now, characterCode: ctx.characterCode, facilityCode: h.MedicalInstitutionCode, arbitraryFileIdentifier: h.ArbitraryFileIdentifier || undefined }),
    ...person,
  };
}

const failureHeader = (failure: OqsError) => resultElements(errorMessage(failure.code, failure.element));

/** FileCategory 4 adds 診療情報 (with 手術 by its own consent) to the drugs. */
const WITH_TREATMENTS = new Set(["3", "4"]);

export const DRUG_INFO: KindHandler<DrugInfoRequest> = {
  async answer(request, env): Promise<HandlerResult> {
    const withTreatments = WITH_TREATMENTS.has(request.XmlMsg.MessageBody.FileCategory);
    const seen = await view(request, withTreatments ? ["pharmacists", "diagnosis", "operation"] : ["pharmacists"], env);
    const head = header(request, env, drugPerson(seen.person));
    return { message: message(head, drugInfoBody(seen.history, request.XmlMsg.MessageHeader.MedicalInstitutionCode, withTreatments)) };
  },
  failureHeader,
};

export const CHECKUP_INFO: KindHandler<CheckupInfoRequest> = {
  async answer(request, env): Promise<HandlerResult> {
    const seen = await view(request, ["specificHealthCheckups"], env);
    return { message: message(header(request, env, checkupPerson(seen.person)), checkupInfoBody(seen.history.checkups)) };
  },
  failureHeader,
};
