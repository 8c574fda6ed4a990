// Every message kind onshi answers, by its file-name kind (spec §1.1): the request's schema and
// the answer's. The codecs learn from these which elements repeat; OpenAPI shows them; the
// pipeline checks each request against its kind's schema, compiled once here.
import type { TSchema } from "@sinclair/typebox";
import { BulkCheckResult, BulkCheckUpload, DownloadRequest, ReceptionAnswer } from "./bulk-check.ts";
import { CardCheckResult } from "./card-check.ts";
import { CheckupInfoAnswer, CheckupInfoRequest, DrugInfoAnswer, DrugInfoRequest } from "./medical-info.ts";
import { QualificationCheckAnswer, QualificationCheckRequest } from "./qualification-check.ts";
import { BulkRegistrationResult, BulkRegistrationUpload, RegistrationAnswer, RegistrationRequest } from "./reference-number.ts";
import { MedicalAidBulkUpload, RemoteBulkResult, RemoteBulkUpload } from "./remote-bulk.ts";
import { compile, type CompiledSchema } from "./schema.ts";

export type MessageKind = "OQSsiquc01" | "OQSmuquc01" | "OQSmuquc02" | "OQSsiimm01" | "OQSmuimm01" | "OQSmuimm02" | "YZKsiquc01" | "TKKsiquc01"
  | "OQSmuonq01" | "OQSmuonq02" | "OQSmuhvq01" | "OQSmuhvq02" | "OQSmutic01" | "OQSmutic02";

export interface MessageSchemas<R extends TSchema = TSchema> {
  /** A bulk (mu…) upload: its body's repeated element holds the rows. */
  bulk: boolean;
  request: CompiledSchema<R>;
  answer: TSchema;
}

export const MESSAGE_SCHEMAS = {
  OQSsiquc01: { bulk: false, request: compile(QualificationCheckRequest), answer: QualificationCheckAnswer },
  OQSmuquc01: { bulk: true, request: compile(BulkCheckUpload), answer: ReceptionAnswer },
  OQSmuquc02: { bulk: false, request: compile(DownloadRequest), answer: BulkCheckResult },
  OQSsiimm01: { bulk: false, request: compile(RegistrationRequest), answer: RegistrationAnswer },
  OQSmuimm01: { bulk: true, request: compile(BulkRegistrationUpload), answer: ReceptionAnswer },
  OQSmuimm02: { bulk: false, request: compile(DownloadRequest), answer: BulkRegistrationResult },
  YZKsiquc01: { bulk: false, request: compile(DrugInfoRequest), answer: DrugInfoAnswer },
  TKKsiquc01: { bulk: false, request: compile(CheckupInfoRequest), answer: CheckupInfoAnswer },
  OQSmuonq01: { bulk: true, request: compile(RemoteBulkUpload), answer: ReceptionAnswer },
  OQSmuonq02: { bulk: false, request: compile(DownloadRequest), answer: RemoteBulkResult },
  OQSmuhvq01: { bulk: true, request: compile(RemoteBulkUpload), answer: ReceptionAnswer },
  OQSmuhvq02: { bulk: false, request: compile(DownloadRequest), answer: RemoteBulkResult },
  OQSmutic01: { bulk: true, request: compile(MedicalAidBulkUpload), answer: ReceptionAnswer },
  OQSmutic02: { bulk: false, request: compile(DownloadRequest), answer: BulkCheckResult },
} satisfies Record<MessageKind, MessageSchemas>;

export const MESSAGE_KINDS = Object.keys(MESSAGE_SCHEMAS) as MessageKind[];

/** The card reader's face result, an answer with no request file. */
export const FACE_RESULT_SCHEMA = CardCheckResult;

/**
 * The elements that repeat, by name: "anywhere" where an answer repeats them, "bulk body" where
 * only a bulk upload's MessageBody does (the si… kind holds one at the same path).
 */
export function repeatedElements(): Map<string, "anywhere" | "bulk body"> {
  const found = new Map<string, "anywhere" | "bulk body">();
  const walk = (schema: TSchema, path: string, inRequest: boolean) => {
    const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
    for (const [name, child] of Object.entries(properties)) {
      const array = (child as { type?: string }).type === "array";
      if (array) {
        const scope = inRequest && path === "XmlMsg.MessageBody" ? "bulk body" : "anywhere";
        if (found.get(name) !== "anywhere") found.set(name, scope);
      }
      walk(array ? (child as unknown as { items: TSchema }).items : child, `${path}.${name}`.replace(/^\./, ""), inRequest);
    }
  };
  for (const kind of Object.values(MESSAGE_SCHEMAS)) {
    walk(kind.request.schema, "", true);
    walk(kind.answer, "", false);
  }
  walk(FACE_RESULT_SCHEMA, "", false);
  return found;
}
