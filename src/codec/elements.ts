// Which elements repeat. XML cannot tell one occurrence of a repeating element from an element
// that never repeats, so both codecs consult this list to hand back the canonical tree: a
// repeating element is always an array, even when it occurs once. The list comes from the
// message schemas (src/oqs/messages): an element declared as an array there repeats here.
import { repeatedElements } from "../oqs/messages/index.ts";

export type RepeatScope = "anywhere" | "bulk body";

/**
 * "anywhere": the element repeats wherever it appears (an answer repeats it).
 * "bulk body": it repeats only as a direct child of XmlMsg.MessageBody of a bulk (mu…) message
 * (muquc01req's search keys, muimm01req's registrations). The individual (si…)
 * messages hold one at the same path and their content is otherwise alike, so only the file
 * name or the route tells them apart: callers say so with `{ bulk: true }`.
 */
export const REPEATED_ELEMENTS: ReadonlyMap<string, RepeatScope> = repeatedElements();

export interface CodecOptions {
  /** The message is a bulk (mu…) one; see REPEATED_ELEMENTS. */
  bulk?: boolean;
}

/** Whether the element at `parent`.`name` (dotted path, e.g. "XmlMsg.MessageBody") repeats. */
export function isRepeated(parent: string, name: string, bulk: boolean): boolean {
  const scope = REPEATED_ELEMENTS.get(name);
  return scope === "anywhere" || (scope === "bulk body" && bulk && parent === "XmlMsg.MessageBody");
}
