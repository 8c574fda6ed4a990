// Each message kind answered or validated through the one pipeline, from a tree as the codecs
// would hand it over, for tests that call the core directly.
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { MESSAGE_SCHEMAS } from "../../src/oqs/messages/index.ts";
import { handle, MESSAGE_KINDS, validate, type MessageKind } from "../../src/services/pipeline/index.ts";
import type { Caller, OqsContext } from "../../src/services/pipeline/types.ts";

/** A WebAPI caller unless `caller` says otherwise. */
export const answerOf = (kind: MessageKind) => (ctx: OqsContext, tree: unknown, caller: Partial<Caller> = {}) =>
  handle(kind, { tree: tree as XmlTree }, { transport: "webapi", ...caller }, ctx);
export const problemsOf = (kind: MessageKind) => (tree: unknown) => validate(kind, { tree: tree as XmlTree }).problems;

export const answerQualificationCheck = answerOf("OQSsiquc01");
export const answerBulkUpload = answerOf("OQSmuquc01");
export const answerBulkResult = answerOf("OQSmuquc02");
export const answerRegistration = answerOf("OQSsiimm01");
export const answerBulkRegistrationUpload = answerOf("OQSmuimm01");
export const answerBulkRegistrationResult = answerOf("OQSmuimm02");

/** Each kind as tests use it: whether it is a bulk upload, its answer and its problems. */
export const MESSAGES = Object.fromEntries(
  MESSAGE_KINDS.map((kind) => [kind, { bulk: MESSAGE_SCHEMAS[kind].bulk, answer: answerOf(kind), validate: problemsOf(kind) }]),
) as Record<MessageKind, { bulk: boolean; answer: ReturnType<typeof answerOf>; validate: ReturnType<typeof problemsOf> }>;
