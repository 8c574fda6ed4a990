// What every step of the message pipeline (./index.ts) and every kind's handler share: the
// context a message is answered in, who asks, what a handler returns and what the pipeline answers.
import type { Db } from "../../db/client.ts";
import type { AuditChannel } from "../../domain/audit.ts";
import type { UsageTransport } from "../../domain/usage.ts";
import type { ErrorCode, OqsError } from "../../errors/catalogue.ts";
import type { XmlTree } from "../../oqs/message-tree.ts";
import type { LocatedProblem } from "../../oqs/messages/schema.ts";
import type { CharacterCode } from "../../oqs/response-builder.ts";
import type { FacilityDirectory } from "../../store/facility-directory.ts";
import type { ReceptionSource } from "../../store/reception-store.ts";
import type { BulkSettings } from "../bulk-settings.ts";

export type { Problem, LocatedProblem } from "../../oqs/messages/schema.ts";

export interface OqsContext {
  db: Db;
  facilities: FacilityDirectory;
  /** The clock, passed in so any scenario can be replayed at a fixed time. */
  now: () => Date;
  characterCode: CharacterCode;
  /** 一括照会 and other two-phase bulk settings; the environment's (bulk-settings.ts) when absent. */
  bulk?: BulkSettings;
  /** false only to measure what recording the answered checks costs (ONSHI_USAGE_RECORDING=off); absent = recorded. */
  recordUsage?: boolean;
}

/** Who sends a message. */
export interface Caller {
  /** The facility the caller acts for (a token's, a terminal's); MedicalInstitutionCode must name it. */
  authorizedFacility?: string;
  /** The code for a request naming another facility: E2005 on the WebAPI, E4005 at a terminal. */
  otherFacility?: Extract<ErrorCode, "E2005" | "E4005">;
  /** The request file a message came from (folder gateway): a bulk upload read again continues its reception. */
  source?: ReceptionSource;
  /** The route, as a view of medical information is audited: "file" (folder gateway) or, when absent, "webapi". */
  channel?: Extract<AuditChannel, "file" | "webapi">;
  /** How the message reached onshi, as an answered check is recorded (docs/usage.md). */
  transport: UsageTransport;
}

/** What a kind's handler returns for a request that passed its check. */
export interface HandlerResult {
  message: XmlTree;
  /** Large results may be delivered zipped (spec §1.1: the 02 result may arrive as .zip). */
  zip?: boolean;
  /**
   * A PDF answer (薬剤・特定健診 FileCategory PDF, spec §3): written beside the XML under the same
   * base name in `res`, sent instead of it (application/pdf) on the WebAPI.
   */
  pdf?: Buffer;
}

export interface Answer extends HandlerResult {
  /** Set when the whole message failed (SegmentOfResult 9). */
  error?: ErrorCode;
  /** An unexpected failure behind an E9001 or E9002 answer, for the transport to log. */
  cause?: unknown;
}

export interface HandlerEnv {
  ctx: OqsContext;
  caller: Caller;
  /** The time the message is answered at, read once. */
  now: Date;
}

/** One message kind's own steps; the pipeline does the rest. */
export interface KindHandler<Request> {
  /** Answers a request that passed its kind's check and its caller's facility; throws OqsError for a whole-message failure. */
  answer(request: Request, env: HandlerEnv): Promise<HandlerResult>;
  /**
   * The problems of the parts answered on their own (a person's search key, each row of an upload,
   * the row count), paths below XmlMsg; `onshi files validate` lists them with the message's own.
   */
  partProblems?(request: Request): LocatedProblem[];
  /** Elements a whole-message failure of this kind carries after the common header (YZK/TKK: ResultCode, MessageContents). */
  failureHeader?(failure: OqsError): XmlTree;
}
