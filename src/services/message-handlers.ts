// The messages onshi answers, by their file-name kind (spec §1.1), shared by every transport:
// the folder gateway picks the handler from the request file's name, the WebAPI from its route.
import type { XmlTree } from "../oqs/message-tree.ts";
import { answerQualificationCheck, type Answer, type CallerOptions, type OqsContext } from "./qualification-check.ts";

export type MessageKind = "OQSsiquc01" | "OQSmuquc01" | "OQSmuquc02" | "OQSsiimm01" | "OQSmuimm01" | "OQSmuimm02";

export interface MessageHandler {
  /** A bulk (mu…) message: the codec must read its repeated body elements as arrays. */
  bulk: boolean;
  answer(ctx: OqsContext, request: XmlTree, caller?: CallerOptions): Promise<Answer>;
}

export const MESSAGE_HANDLERS: Partial<Record<MessageKind, MessageHandler>> = {
  OQSsiquc01: { bulk: false, answer: answerQualificationCheck },
};
