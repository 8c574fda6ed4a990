// Message trees shared by the codec tests, in canonical form: arrays exactly at the repeated
// elements. Leaves carry what real files carry: kanji with full-width spaces, half-width kana,
// CP932 extensions (①, ～, 髙), space-padded insurer numbers, leading zeros, empty elements.
import type { XmlTree } from "../../src/oqs/message-tree.ts";

const person = (overrides: XmlTree = {}): XmlTree => ({
  InsuredCardClassification: "01",
  InsurerNumber: "  123456",
  InsuredCardSymbol: "１２－３４",
  InsuredIdentificationNumber: "0042",
  InsuredBranchNumber: "01",
  Name: "髙橋　①郎",
  NameKana: "ｼﾝﾘｮｳ ﾀﾛｳ",
  Address: "東京都千代田区霞が関１～２ <&> 'single' \"double\"",
  NameOfOther: "",
  ...overrides,
});

export interface Sample {
  name: string;
  tree: XmlTree;
  bulk?: boolean;
}

export const SAMPLES: Sample[] = [
  {
    name: "個別照会 request",
    tree: {
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "1311111111", ArbitraryFileIdentifier: "" },
        MessageBody: {
          QualificationConfirmSearchInfo: {
            InsurerNumber: "  123456",
            InsuredIdentificationNumber: "0042",
            Birthdate: "19600101",
            LimitApplicationCertificateRelatedConsFlg: "0",
          },
        },
      },
    },
  },
  {
    name: "response with one result and one 特定疾病 certificate",
    tree: {
      XmlMsg: {
        MessageHeader: { ProcessExecutionTime: "20260401093000", SegmentOfResult: "1", CharacterCodeIdentifier: "1" },
        MessageBody: {
          ProcessingResultStatus: "1",
          QualificationValidity: "1",
          ResultList: {
            ResultOfQualificationConfirmation: [
              person({
                SpecificDiseasesCertificateRelatedConsFlg: "1",
                SpecificDiseasesCertificateList: {
                  SpecificDiseasesCertificateInfo: [{ SpecificDiseasesDiseaseCategory: "1", SpecificDiseasesSelfPay: "10000" }],
                },
              }),
            ],
          },
          QualificationConfirmSearchInfo: { InsurerNumber: "  123456", Birthdate: "19600101" },
        },
      },
    },
  },
  {
    name: "複数該当 response with many results and certificates",
    tree: {
      XmlMsg: {
        MessageHeader: { SegmentOfResult: "1" },
        MessageBody: {
          ProcessingResultStatus: "1",
          QualificationValidity: "5",
          ResultList: {
            ResultOfQualificationConfirmation: [
              person({
                SpecificDiseasesCertificateList: {
                  SpecificDiseasesCertificateInfo: [{ SpecificDiseasesDiseaseCategory: "1" }, { SpecificDiseasesDiseaseCategory: "2" }],
                },
              }),
              person({ InsurerNumber: "06130012", Name: "山田　花子", NameKana: "ﾔﾏﾀﾞ ﾊﾅｺ" }),
              person({ InsurerNumber: "39130012", InsuredPartialContributionRatio: "010" }),
            ],
          },
        },
      },
    },
  },
  {
    name: "医療扶助 response with one 医療券",
    tree: {
      XmlMsg: {
        MessageHeader: { SegmentOfResult: "1" },
        MessageBody: {
          ResultList: {
            ResultOfQualificationConfirmation: [
              person({
                InsuredCardClassification: "A1",
                PublicExpenseResultList: { MedicalTicketInfo: [{ TicketType: "1", MedicalTreatmentMonth: "202604", Remarks1: "   " }] },
              }),
            ],
          },
        },
      },
    },
  },
  {
    name: "一括照会 upload (muquc01req) with one search key",
    bulk: true,
    tree: {
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "1311111111" },
        MessageBody: { QualificationConfirmSearchInfo: [{ InsurerNumber: "  123456", Birthdate: "19600101" }] },
      },
    },
  },
  {
    name: "一括照会 upload (muquc01req) with many search keys",
    bulk: true,
    tree: {
      XmlMsg: {
        MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: "1311111111" },
        MessageBody: {
          QualificationConfirmSearchInfo: [
            { InsurerNumber: "  123456", Birthdate: "19600101", ArbitraryIdentifier: "0001" },
            { InsurerNumber: "06130012", Birthdate: "19700202", ArbitraryIdentifier: "0002" },
            { InsurerNumber: "39130012", Birthdate: "19400303", ArbitraryIdentifier: "0003" },
          ],
        },
      },
    },
  },
  {
    name: "一括照会 result (muquc02res) with one unit",
    bulk: true,
    tree: {
      XmlMsg: {
        MessageHeader: { ReceptionNumber: "000123", NumberOfProcessingResult: "1", NumberOfNormalProcessing: "1", NumberOfError: "0" },
        MessageBody: {
          BulkConfirmUnit: [
            {
              QualificationConfirmSearchInfo: { InsurerNumber: "  123456", Birthdate: "19600101" },
              ProcessingResultStatus: "1",
              QualificationValidity: "1",
              ResultOfQualificationConfirmation: [person()],
            },
          ],
        },
      },
    },
  },
  {
    name: "照会番号一括登録 (muimm01req) with one registration",
    bulk: true,
    tree: {
      XmlMsg: {
        MessageHeader: { MedicalInstitutionCode: "1311111111" },
        MessageBody: { ReferenceNumberRegistrationInfo: [{ ReferenceNumber: "00012345", InsurerNumber: "  123456" }] },
      },
    },
  },
];
