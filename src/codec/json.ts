// The WebAPI renders the message tree as JSON (spec §4). A list container (an element whose XML
// form wraps each item in an element of its own) is an array, in the form the public result
// parser (hangilc/myclinic-ts onshi-result MessageBody.cast / ResultOfQualificationConfirmation)
// reads it: ResultList as single-key wrappers, [{"ResultOfQualificationConfirmation": {…}}, …];
// SpecificDiseasesCertificateList as the items themselves, [{"SpecificDiseasesDiseaseCategory":
// …}, …]; PublicExpenseResultList and PublicExpenseCertificateList, which no public client reads, as their items too. MessageBody is
// no list even when its only children are repeated ones (BulkConfirmUnit, bulk search keys): it
// stays an object. Which form the real API sends is not public, so input accepts wrappers, bare
// items and the plain tree shape, and a repeated element may come as an object or as an array.
import { isTree, type XmlTree, type XmlValue } from "../oqs/message-tree.ts";
import { forbiddenCharacter, MAX_NESTING } from "./characters.ts";
import { isRepeated, type CodecOptions } from "./elements.ts";
import { CodecError } from "./errors.ts";

export type JsonValue = string | JsonValue[] | { [key: string]: JsonValue };

/** List containers, the repeated element each holds, and how its items are written. */
export const LIST_CONTAINERS: ReadonlyMap<string, { item: string; form: "wrapped" | "items" }> = new Map([
  ["ResultList", { item: "ResultOfQualificationConfirmation", form: "wrapped" }],
  ["SpecificDiseasesCertificateList", { item: "SpecificDiseasesCertificateInfo", form: "items" }],
  ["PublicExpenseResultList", { item: "MedicalTicketInfo", form: "items" }],
  ["PublicExpenseCertificateList", { item: "PublicExpenseCertificateInfo", form: "items" }],
]);

/** Rejects keys the XML builder would misread (#text, @_…) and __proto__. */
const ELEMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function treeToJson(tree: XmlTree): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [name, value] of Object.entries(tree)) out[name] = valueToJson(name, value);
  return out;
}

function valueToJson(name: string, value: XmlValue): JsonValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(itemToJson);
  const list = LIST_CONTAINERS.get(name);
  const items = list !== undefined && onlyKey(value) === list.item ? value[list.item] : undefined;
  if (list !== undefined && Array.isArray(items)) {
    return items.map((each) => (list.form === "wrapped" ? { [list.item]: itemToJson(each) } : itemToJson(each)));
  }
  return treeToJson(value);
}

function itemToJson(item: string | XmlTree): JsonValue {
  return typeof item === "string" ? item : treeToJson(item);
}

/**
 * The canonical tree of a JSON message; throws JSON_SHAPE naming the first offending path,
 * TOO_DEEP past MAX_NESTING elements, FORBIDDEN_CHARACTER for text XML could not carry.
 */
export function jsonToTree(value: unknown, { bulk = false }: CodecOptions = {}): XmlTree {
  return toTree(value, "", bulk, 0);
}

function toTree(value: unknown, path: string, bulk: boolean, depth: number): XmlTree {
  if (!isTree(value)) throw shapeError(path || "body", "must be an object");
  // Checked before going deeper: a 15 KB body nested 2,500 deep used to overflow the stack.
  if (depth >= MAX_NESTING) throw new CodecError("TOO_DEEP", "メッセージの入れ子が深すぎます。", `${path} is nested deeper than ${MAX_NESTING} elements`);
  const out: XmlTree = {};
  for (const [name, child] of Object.entries(value)) {
    const at = path ? `${path}.${name}` : name;
    if (!ELEMENT_NAME.test(name)) throw shapeError(at, "is not an element name");
    // JSON.stringify drops undefined; null is JSON's spelling of the same absence.
    if (child === undefined || child === null) continue;
    const converted = toValue(name, child, at, bulk, depth + 1);
    out[name] = isRepeated(path, name, bulk) && !Array.isArray(converted) ? ([converted] as string[] | XmlTree[]) : converted;
  }
  return out;
}

function toValue(name: string, value: unknown, path: string, bulk: boolean, depth: number): XmlValue {
  if (typeof value === "string") return text(value, path);
  if (isTree(value)) return toTree(value, path, bulk, depth);
  if (!Array.isArray(value)) throw shapeError(path, "must be a string");
  const item = LIST_CONTAINERS.get(name)?.item;
  if (item === undefined) return sameKind(value.map((each, i) => toItem(each, `${path}[${i}]`, bulk, depth)), path);
  // A list container as an array: of wrappers {Item: …} or of the items themselves.
  const items = value.map((each, i) =>
    isTree(each) && onlyKey(each) === item
      ? toItem(each[item], `${path}[${i}].${item}`, bulk, depth + 1)
      : toItem(each, `${path}[${i}]`, bulk, depth + 1),
  );
  return { [item]: sameKind(items, path) };
}

function toItem(value: unknown, path: string, bulk: boolean, depth: number): string | XmlTree {
  if (typeof value === "string") return text(value, path);
  if (isTree(value)) return toTree(value, path, bulk, depth);
  throw shapeError(path, "must be a string or an object");
}

function text(value: string, path: string): string {
  const forbidden = forbiddenCharacter(value);
  if (forbidden === undefined) return value;
  throw new CodecError("FORBIDDEN_CHARACTER", `使用できない文字が含まれています。(${path}: ${forbidden})`, `${path} contains ${forbidden}, which XML 1.0 forbids`, path);
}

/** XML cannot hold a repeated element that is text in one occurrence and a parent in another. */
function sameKind(items: (string | XmlTree)[], path: string): string[] | XmlTree[] {
  if (items.every((item) => typeof item === "string") || items.every(isTree)) return items as string[] | XmlTree[];
  throw shapeError(path, "mixes strings and objects");
}

function onlyKey(tree: object): string | undefined {
  const keys = Object.keys(tree);
  return keys.length === 1 ? keys[0] : undefined;
}

function shapeError(path: string, problem: string): CodecError {
  return new CodecError("JSON_SHAPE", `JSONの構造が不正です。(${path})`, `${path} ${problem}`, path);
}
