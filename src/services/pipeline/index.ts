// The one way a message is answered, whatever brought it (WebAPI route, folder gateway, `onshi
// check --request`): decode (XML in UTF-8 / Shift_JIS, or JSON) → check against the kind's schema,
// collecting every problem → the header → authorise (the caller's facility) → the kind's handler
// → the answer, or a whole-message failure (SegmentOfResult 9) that keeps the response header.
// `validate` is the same pass without an answer (`onshi files validate`).
import type { Static } from "@sinclair/typebox";
import { CodecError } from "../../codec/errors.ts";
import { jsonToTree } from "../../codec/json.ts";
import { decodeXml, identifierOf, type Charset } from "../../codec/xml.ts";
import { isDatabaseUnavailable } from "../../db/unavailable.ts";
import { OqsError, type ErrorCode } from "../../errors/catalogue.ts";
import { CODEC_ERROR_CODES } from "../../oqs/codec-error-codes.ts";
import { isTree, type XmlTree } from "../../oqs/message-tree.ts";
import { MESSAGE_SCHEMAS, type MessageKind } from "../../oqs/messages/index.ts";
import type { CompiledSchema, LocatedProblem, Problem } from "../../oqs/messages/schema.ts";
import { Reference, Segment, message, responseHeader } from "../../oqs/response-builder.ts";
import { BULK_CHECK_RESULT, BULK_CHECK_UPLOAD } from "../bulk-check.ts";
import { BULK_REGISTRATION_RESULT, BULK_REGISTRATION_UPLOAD } from "../bulk-registration.ts";
import { CHECKUP_INFO, DRUG_INFO } from "../medical-info-messages.ts";
import { QUALIFICATION_CHECK } from "../qualification-check.ts";
import { REFERENCE_NUMBER_REGISTRATION } from "../reference-numbers.ts";
import { MEDICAL_AID_BULK_RESULT, MEDICAL_AID_BULK_UPLOAD, ONLINE_BULK_RESULT, ONLINE_BULK_UPLOAD, VISIT_BULK_RESULT, VISIT_BULK_UPLOAD } from "../remote-bulk.ts";
import type { Answer, Caller, KindHandler, OqsContext } from "./types.ts";

export { MESSAGE_KINDS, type MessageKind } from "../../oqs/messages/index.ts";

type RequestOf<K extends MessageKind> = Static<(typeof MESSAGE_SCHEMAS)[K]["request"]["schema"]>;

const HANDLERS: { [K in MessageKind]: KindHandler<RequestOf<K>> } = {
  OQSsiquc01: QUALIFICATION_CHECK,
  OQSmuquc01: BULK_CHECK_UPLOAD,
  OQSmuquc02: BULK_CHECK_RESULT,
  OQSsiimm01: REFERENCE_NUMBER_REGISTRATION,
  OQSmuimm01: BULK_REGISTRATION_UPLOAD,
  OQSmuimm02: BULK_REGISTRATION_RESULT,
  YZKsiquc01: DRUG_INFO,
  TKKsiquc01: CHECKUP_INFO,
  OQSmuonq01: ONLINE_BULK_UPLOAD,
  OQSmuonq02: ONLINE_BULK_RESULT,
  OQSmuhvq01: VISIT_BULK_UPLOAD,
  OQSmuhvq02: VISIT_BULK_RESULT,
  OQSmutic01: MEDICAL_AID_BULK_UPLOAD,
  OQSmutic02: MEDICAL_AID_BULK_RESULT,
};

/** A message as it arrives. */
export type MessageInput =
  /** XML bytes in the charset their declaration names; `file`: a request file (empty is E4003). */
  | { xml: Buffer; file?: boolean }
  /** The WebAPI's JSON rendering, parsed. */
  | { json: unknown }
  /** The same as text (a request file); text that does not parse is E1001, as on the WebAPI. */
  | { jsonText: string }
  /** A tree already built (onshi check's flags). */
  | { tree: XmlTree };

export interface PipelineAnswer extends Answer {
  /** The charset of the XML request, in which a WebAPI answers it. */
  charset?: Charset;
  /** The step that refused the message, when one did before its handler. */
  failedAt?: "decode" | "check" | "authorise";
  /** What exactly could not be decoded, in English. */
  detail?: string;
  /** Where, in Japanese (the element, or the line and what is wrong there), when the decoding names it. */
  element?: string;
}

type Decoded = { ok: true; tree: XmlTree; charset?: Charset } | { ok: false; code: ErrorCode; element?: string; detail: string };

function decode(kind: MessageKind, input: MessageInput): Decoded {
  const bulk = MESSAGE_SCHEMAS[kind].bulk;
  try {
    if ("tree" in input) return { ok: true, tree: input.tree };
    if ("json" in input) return { ok: true, tree: jsonToTree(input.json, { bulk }) };
    if ("jsonText" in input) {
      let json: unknown;
      try {
        json = JSON.parse(input.jsonText);
      } catch (error) {
        return { ok: false, code: "E1001", detail: (error as Error).message };
      }
      return { ok: true, tree: jsonToTree(json, { bulk }) };
    }
    if (input.file && input.xml.length === 0) return { ok: false, code: "E4003", detail: "the file is empty" };
    return { ok: true, ...decodeXml(input.xml, { bulk }) };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return { ok: false, code: CODEC_ERROR_CODES[error.code], element: error.element, detail: error.detail };
  }
}

/**
 * The message's own problems: every element at fault, except that a broken envelope (no XmlMsg,
 * MessageHeader or MessageBody as parents) is reported alone, as nothing below it can be read.
 */
function messageProblems<K extends MessageKind>(kind: K, tree: XmlTree): { ok: true; value: RequestOf<K> } | { ok: false; problems: LocatedProblem[] } {
  const parsed = (MESSAGE_SCHEMAS[kind].request as CompiledSchema<(typeof MESSAGE_SCHEMAS)[K]["request"]["schema"]>).parse(tree);
  if (parsed.ok) return parsed;
  // Not even an object: there is no XmlMsg to read.
  const problems = parsed.problems.map((p) => (p.path.length === 0 ? { ...p, element: "XmlMsg", path: ["XmlMsg"] } : p));
  const envelope = problems.find((p) => p.path.length <= 2);
  return { ok: false, problems: envelope ? [envelope] : problems } as const;
}

/** Answers one message of `kind`; never throws. */
export async function handle<K extends MessageKind>(kind: K, input: MessageInput, caller: Caller, ctx: OqsContext): Promise<PipelineAnswer> {
  const now = ctx.now();
  const decoded = decode(kind, input);
  const charset = decoded.ok ? decoded.charset : undefined;
  // A WebAPI answers XML in the request's charset; a terminal in its own setting.
  const answerCtx = charset && !("file" in input && input.file) ? { ...ctx, characterCode: identifierOf(charset) } : ctx;
  if (!decoded.ok) {
    const failure = failureAnswer(kind, ctx, now, new OqsError(decoded.code, decoded.element), undefined);
    return { ...failure, failedAt: "decode", detail: decoded.detail, ...(decoded.element ? { element: decoded.element } : {}) };
  }
  const tree = decoded.tree;
  const fail = (error: unknown, failedAt?: PipelineAnswer["failedAt"]): PipelineAnswer => ({
    ...failureAnswer(kind, answerCtx, now, error, tree),
    ...(charset ? { charset } : {}),
    ...(failedAt ? { failedAt } : {}),
  });
  const checked = messageProblems(kind, tree);
  if (!checked.ok) {
    const [first] = checked.problems;
    return fail(new OqsError(first!.code, first!.element), "check");
  }
  try {
    const request = checked.value;
    const facilityCode = request.XmlMsg.MessageHeader.MedicalInstitutionCode;
    if (caller.authorizedFacility !== undefined && caller.authorizedFacility !== facilityCode) {
      return fail(new OqsError(caller.otherFacility ?? "E2005", caller.otherFacility ? "MedicalInstitutionCode" : undefined), "authorise");
    }
    if (!(await ctx.facilities.exists(facilityCode))) return fail(new OqsError("E2001", "MedicalInstitutionCode"), "authorise");
    const handler = HANDLERS[kind] as KindHandler<RequestOf<K>>;
    const result = await handler.answer(request, { ctx: answerCtx, caller, now });
    return { ...result, ...(charset ? { charset } : {}) };
  } catch (error) {
    return fail(error);
  }
}

/**
 * Every problem a request has that needs no database, as `handle` would report them: the
 * decoding's, else the message's, then those of the parts answered on their own. Elements are
 * dotted paths below XmlMsg, rows numbered from 1.
 */
export function validate(kind: MessageKind, input: MessageInput): { charset?: Charset; problems: (Problem & { detail?: string })[] } {
  const decoded = decode(kind, input);
  if (!decoded.ok) return { problems: [{ code: decoded.code, ...(decoded.element ? { element: decoded.element } : {}), detail: decoded.detail }] };
  const checked = messageProblems(kind, decoded.tree);
  const charset = decoded.charset ? { charset: decoded.charset } : {};
  if (!checked.ok) {
    // Parts are read only when the message around them can be: not when its body is not a parent.
    if (checked.problems.some((p) => p.path.length <= 2)) return { ...charset, problems: checked.problems.map(located) };
    const parts = partProblemsOf(kind, decoded.tree);
    return { ...charset, problems: [...checked.problems, ...parts].map(located) };
  }
  const handler = HANDLERS[kind] as KindHandler<unknown>;
  return { ...charset, problems: (handler.partProblems?.(checked.value) ?? []).map(located) };
}

/** The parts' problems of a message whose header is at fault: only where each part is where its kind puts it. */
function partProblemsOf(kind: MessageKind, tree: XmlTree): LocatedProblem[] {
  const handler = HANDLERS[kind] as KindHandler<unknown>;
  const body = isTree(tree.XmlMsg) ? tree.XmlMsg.MessageBody : undefined;
  if (!handler.partProblems || !isTree(body)) return [];
  try {
    return handler.partProblems(tree).filter((p) => p.path.length > 2);
  } catch {
    return []; // a part missing or of the wrong kind is among the message's own problems
  }
}

function located({ code, value, path, element }: LocatedProblem): Problem {
  const steps = path[0] === "XmlMsg" ? path.slice(1) : path;
  const at = steps.reduce<string>((out, step) => (typeof step === "number" ? `${out}[${step + 1}]` : out ? `${out}.${step}` : step), "");
  return { code, ...(at || element ? { element: at || element } : {}), ...(value !== undefined ? { value } : {}) };
}

/**
 * A whole-message failure as an answer: an OqsError as itself, a database that cannot be reached
 * as E9002 (the client retries), anything else as E9001.
 */
export function failureAnswer(kind: MessageKind | undefined, ctx: Pick<OqsContext, "characterCode">, now: Date, error: unknown, request?: XmlTree): Answer {
  const failure = error instanceof OqsError ? error : new OqsError(isDatabaseUnavailable(error) ? "E9002" : "E9001");
  return {
    message: failureMessage(kind, ctx, now, failure, request),
    error: failure.code,
    ...(error instanceof OqsError ? {} : { cause: error }),
  };
}

/**
 * SegmentOfResult 9 with the full response header (spec §1.4): what the request's header gave as
 * text is echoed as sent, even when it is what was wrong, so a strict client can match the answer.
 */
export function failureMessage(kind: MessageKind | undefined, ctx: Pick<OqsContext, "characterCode">, now: Date, failure: OqsError, request?: XmlTree): XmlTree {
  const root = request && isTree(request.XmlMsg) ? request.XmlMsg : undefined;
  const raw = root && isTree(root.MessageHeader) ? root.MessageHeader : {};
  const echo = (name: string) => {
    const value = raw[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const header = responseHeader({
    now,
    characterCode: ctx.characterCode,
    segment: Segment.Failed,
    confirmationDate: echo("QualificationConfirmationDate"),
    facilityCode: echo("MedicalInstitutionCode"),
    arbitraryFileIdentifier: echo("ArbitraryFileIdentifier"),
    referenceClassification: kind === "OQSsiquc01" ? Reference.InsuranceCard : undefined,
    error: { code: failure.code, element: failure.element },
  });
  const own = kind === undefined ? undefined : (HANDLERS[kind] as KindHandler<unknown>).failureHeader?.(failure);
  return message({ ...header, ...own }, {});
}
