// Builds response trees with the real element names (spec §1.4–1.6). Optional elements are
// omitted when empty, as real responses do.
import { availableTimeOf, CONSENT_CATEGORIES, type ConsentCategory, type ConsentRecord } from "../domain/consent.ts";
import { jstTimestamp } from "../domain/dates.ts";
import { formatInsurerNumber } from "../domain/insurer-number.ts";
import { toHalfWidthKana } from "../domain/kana.ts";
import type { SubsidyCertificate } from "../domain/medical-subsidy.ts";
import { isInForce, type QualificationRecord } from "../domain/qualification.ts";
import type { ValidityDecision } from "../domain/validity.ts";
import { TICKET_TYPE_LABELS, TREATMENT_TYPE_LABELS, type MedicalTicket } from "../domain/welfare.ts";
import { errorMessage, type ErrorCode } from "../errors/catalogue.ts";
import { compact, type XmlTree } from "./message-tree.ts";

/** OQSCD003 SegmentOfResult. */
export const Segment = { Normal: "1", Processing: "2", Failed: "9" } as const;
/** OQSCD004 ProcessingResultStatus. */
export const ProcessingStatus = { Normal: "1", Error: "2" } as const;
/** ReferenceClassification: how the person was identified. */
export const Reference = { MyNumberCard: "1", InsuranceCard: "2" } as const;
/** OQSCD005 CharacterCodeIdentifier. */
export type CharacterCode = "0" | "1";

export interface HeaderFields {
  now: Date;
  characterCode: CharacterCode;
  segment: (typeof Segment)[keyof typeof Segment];
  confirmationDate?: string;
  facilityCode?: string;
  arbitraryFileIdentifier?: string;
  referenceClassification?: string;
  error?: { code: ErrorCode; element?: string };
}

export function responseHeader(f: HeaderFields): XmlTree {
  return compact({
    ProcessExecutionTime: jstTimestamp(f.now),
    QualificationConfirmationDate: f.confirmationDate,
    MedicalInstitutionCode: f.facilityCode,
    ArbitraryFileIdentifier: f.arbitraryFileIdentifier,
    ReferenceClassification: f.referenceClassification,
    SegmentOfResult: f.segment,
    ErrorCode: f.error?.code,
    ErrorMessage: f.error && errorMessage(f.error.code, f.error.element),
    CharacterCodeIdentifier: f.characterCode,
  });
}

export function message(header: XmlTree, body: XmlTree): XmlTree {
  return { XmlMsg: { MessageHeader: header, MessageBody: body } };
}

/**
 * What a result may disclose: on the 被保険者証 route the request's one flag (限度額 and 特定疾病
 * together), on a card check the consent the patient just gave at the reader.
 */
export type Disclosure = boolean | ConsentRecord;

/**
 * The body of a successful search for one person (個別照会, and one row of 一括照会).
 * `referenceNumbers`: the requesting facility's 照会番号 by person id (findReferenceNumbers).
 */
export function searchResultBody(
  decision: ValidityDecision,
  date: string,
  limitConsent: Disclosure,
  referenceNumbers?: ReadonlyMap<number, string>,
  subsidies?: readonly SubsidyCertificate[],
): XmlTree {
  return compact({
    ProcessingResultStatus: ProcessingStatus.Normal,
    QualificationValidity: decision.validity,
    ResultList:
      decision.results.length > 0
        ? {
            ResultOfQualificationConfirmation: decision.results.map((q) =>
              resultOfQualification(q, date, limitConsent, referenceNumbers?.get(q.person.personId), subsidies),
            ),
          }
        : undefined,
  });
}

/** The body of a search key that failed validation: the person is answered with an error. */
export function searchErrorBody(code: ErrorCode, element: string): XmlTree {
  return {
    ProcessingResultStatus: ProcessingStatus.Error,
    ProcessingResultCode: code,
    ProcessingResultMessage: errorMessage(code, element),
  };
}

const ratio = (percent: number) => String(percent).padStart(3, "0");
const flag = (on: boolean) => (on ? "1" : "0");

const agrees = (disclosure: Disclosure, category: ConsentCategory) =>
  typeof disclosure === "boolean" ? disclosure : disclosure.agreed.has(category);

/**
 * `<prefix>ConsFlg`, and with consent its `ConsTime` (and `AvailableTime` where real results
 * carry one: the four viewing categories). Times only with a card check's record.
 */
function consentElements(disclosure: Disclosure, category: ConsentCategory, withAvailable: boolean): Record<string, string | undefined> {
  const prefix = CONSENT_CATEGORIES[category].element as string;
  const given = agrees(disclosure, category);
  const record = typeof disclosure === "boolean" || !given ? undefined : disclosure;
  return {
    [`${prefix}ConsFlg`]: flag(given),
    [`${prefix}ConsTime`]: record && jstTimestamp(record.consTime),
    ...(withAvailable ? { [`${prefix}AvailableTime`]: record && jstTimestamp(availableTimeOf(record.consTime)) } : {}),
  };
}

const VIEWING_CATEGORIES = ["specificHealthCheckups", "pharmacists", "diagnosis", "operation"] as const;

/**
 * One ResultOfQualificationConfirmation. 限度額 and 特定疾病 are disclosed only with the
 * patient's consent; on the 被保険者証 route the request's one consent flag covers both (our
 * reading: the request has no separate 特定疾病 flag). The requesting facility's 照会番号 comes
 * after the consent blocks, where public parsers place it (Sotatek-ChinhVu/smart-test
 * ResultOfQualificationConfirmation.cs; MynaReception FaceXmlParser).
 */
export function resultOfQualification(
  q: QualificationRecord,
  date: string,
  consent: Disclosure,
  referenceNumber?: string,
  subsidies: readonly SubsidyCertificate[] = [],
): XmlTree {
  const p = q.person;
  const elderly = q.elderlyCertificates.find((c) => isInForce(c, date));
  const limit = agrees(consent, "limitCertificate") ? q.limitCertificates.find((c) => isInForce(c, date)) : undefined;
  const diseases = agrees(consent, "specificDiseases") ? q.specificDiseaseCertificates.filter((c) => isInForce(c, date)) : [];
  // The caller chose them: a card check those in force that day, 医療扶助の一括照会 the month's.
  const tickets = q.medicalTickets ?? [];
  return compact({
    InsuredCardClassification: q.insuredCardClassification,
    InsurerNumber: formatInsurerNumber(q.insurerNumber),
    InsuredCardSymbol: q.insuredCardSymbol ?? undefined,
    InsuredIdentificationNumber: q.insuredIdentificationNumber,
    InsuredBranchNumber: q.insuredBranchNumber ?? undefined,
    PersonalFamilyClassification: String(q.personalFamilyClassification),
    InsuredName: q.insuredName ?? undefined,
    Name: p.name,
    NameOfOther: p.nameOfOther ?? undefined,
    NameKana: toHalfWidthKana(p.nameKana),
    NameOfOtherKana: p.nameOfOtherKana ? toHalfWidthKana(p.nameOfOtherKana) : undefined,
    Sex1: String(p.sex),
    Birthdate: p.birthdate,
    Address: p.address ?? undefined,
    PostNumber: p.postNumber ?? undefined,
    InsuredCertificateIssuanceDate: q.cardIssuanceDate ?? undefined,
    InsuredCardValidDate: q.cardValidDate ?? undefined,
    InsuredCardExpirationDate: q.cardExpirationDate ?? undefined,
    InsuredPartialContributionRatio: q.partialContributionRatio === null ? undefined : ratio(q.partialContributionRatio),
    PreschoolClassification: q.preschool ? "1" : undefined,
    QualificationDate: q.qualificationDate,
    DisqualificationDate: q.disqualificationDate ?? undefined,
    ReasonOfLoss: q.reasonOfLoss ?? undefined,
    InsurerName: q.insurerName,
    ElderlyRecipientCertificateInfo: elderly && compact({
      ElderlyRecipientCertificateDate: elderly.certificateDate ?? undefined,
      ElderlyRecipientValidStartDate: elderly.validStart,
      ElderlyRecipientValidEndDate: elderly.validEnd,
      ElderlyRecipientContributionRatio: ratio(elderly.contributionRatio),
    }),
    ...consentElements(consent, "limitCertificate", false),
    LimitApplicationCertificateRelatedInfo: limit && compact({
      LimitApplicationCertificateClassification: limit.classification,
      LimitApplicationCertificateClassificationFlag: limit.classificationFlag,
      LimitApplicationCertificateDate: limit.certificateDate ?? undefined,
      LimitApplicationCertificateValidStartDate: limit.validStart,
      LimitApplicationCertificateValidEndDate: limit.validEnd,
      LimitApplicationCertificateLongTermDate: limit.longTermDate ?? undefined,
    }),
    ...consentElements(consent, "specificDiseases", false),
    SpecificDiseasesCertificateList:
      diseases.length > 0
        ? {
            SpecificDiseasesCertificateInfo: diseases.map((d) =>
              compact({
                SpecificDiseasesDiseaseCategory: d.diseaseCategory,
                SpecificDiseasesCertificateDate: d.certificateDate ?? undefined,
                SpecificDiseasesValidStartDate: d.validStart,
                SpecificDiseasesValidEndDate: d.validEnd,
                SpecificDiseasesSelfPay: String(d.selfPay),
              }),
            ),
          }
        : undefined,
    // 医療扶助: no consent is asked (the ticket is the qualification itself); placed after the
    // 特定疾病 list, as the public client that writes such results does (YUKI-ENT/OQSDrug2
    // QualificationFaceExporter.cs).
    PublicExpenseResultList: tickets.length > 0 ? { MedicalTicketInfo: tickets.map(medicalTicketInfo) } : undefined,
    // A card check's viewing consents, in the order public parsers list them (Sotatek
    // ResultOfQualificationConfirmation.cs); the 被保険者証 route has none.
    ...(typeof consent === "boolean" ? {} : Object.assign({}, ...VIEWING_CATEGORIES.map((c) => consentElements(consent, c, true)))),
    PublicExpenseCertificateList: subsidies.length > 0 ? { PublicExpenseCertificateInfo: subsidies.map(publicExpenseCertificate) } : undefined,
    ReferenceNumber: referenceNumber,
  });
}

const yyyymmdd = (isoDate: string) => isoDate.replaceAll("-", "");
const yen = (amount: number | undefined) => (amount === undefined ? undefined : String(amount));

/** One 受給者証 of 医療費助成 as PublicExpenseCertificateInfo (onshi's reading of the element names). */
function publicExpenseCertificate(c: SubsidyCertificate): XmlTree {
  return compact({
    PublicExpenseNumber: c.insurerNumber,
    BeneficiaryNumber: c.recipientNumber ?? undefined,
    PublicExpenseCertificateName: c.certificationName,
    PublicExpenseValidStartDate: yyyymmdd(c.validFrom),
    PublicExpenseValidEndDate: c.validTo === null ? undefined : yyyymmdd(c.validTo),
    PublicExpenseSelfPay: yen(c.maxCopayment.monthly),
    PublicExpenseSelfPayPerVisit: yen(c.maxCopayment.perVisit),
    PublicExpenseIncomeSegment: c.incomeSegment ?? undefined,
    PublicExpenseAlwaysReimbursement: c.alwaysReimbursement ? "1" : undefined,
  });
}

/** One MedicalTicketInfo: onshi's reading of the elements a public client names (docs/welfare.md). */
function medicalTicketInfo(t: MedicalTicket): XmlTree {
  return compact({
    TicketType: TICKET_TYPE_LABELS[t.ticketType],
    MedicalTicketValidDate: t.validFrom,
    MedicalTicketExpirationDate: t.validTo,
    IssueNumber: String(t.ticketId),
    MedicalTreatmentMonth: t.treatmentMonth,
    DesignatedMedicalInstitutionCode: t.facilityCode,
    DesignatedMedicalInstitutionName: t.facilityName,
    InjuryName1: t.injuryNames[0],
    InjuryName2: t.injuryNames[1],
    InjuryName3: t.injuryNames[2],
    MedicalTreatmentType: TREATMENT_TYPE_LABELS[t.treatmentType],
    SelfPayAmount: String(t.selfPayAmount),
  });
}
