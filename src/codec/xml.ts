// XML rendering of the message tree, in UTF-8 or Shift_JIS as the XML declaration says (spec
// §1.2). Shift_JIS means CP932 (Windows-31J), the code page real terminals and レセコン write, so
// that ①, ～ and the NEC/IBM extensions (髙) survive.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import iconv from "iconv-lite";
import { isTree, type XmlTree, type XmlValue } from "../oqs/message-tree.ts";
import { codePointName, forbiddenCharacter, forbiddenCharacterIndex, isXmlCharCode, MAX_NESTING } from "./characters.ts";
import { isRepeated, REPEATED_ELEMENTS, type CodecOptions } from "./elements.ts";
import { CodecError } from "./errors.ts";

export { REPEATED_ELEMENTS, type CodecOptions } from "./elements.ts";

export type Charset = "UTF-8" | "Shift_JIS";

const UTF8_NAMES = new Set(["utf-8", "utf8"]);
const SHIFT_JIS_NAMES = new Set(["shift_jis", "shift-jis", "sjis", "x-sjis", "windows-31j", "cp932", "ms932", "ms_kanji"]);

function parser(bulk: boolean): XMLParser {
  return new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // v5 defaults would turn "0123" into 123 and "  123456" into "123456".
    parseTagValue: false,
    trimValues: false,
    // The only typed switch that decodes numeric references (&#12354;); it also admits HTML names.
    htmlEntities: true,
    // jPath is the element's own path; its dotted form ("XmlMsg.MessageBody.ResultList") is built
    // only for the few repeatable names (with jPath true, for every element: 1/5 of parsing).
    jPath: false,
    // Counted as MAX_NESTING is: the parser's stack holds the elements above the one it opens.
    maxNestedTags: MAX_NESTING - 1,
    isArray: (name, jPath) => REPEATED_ELEMENTS.has(name) && isRepeated(String(jPath).slice(0, -name.length - 1), name, bulk),
  });
}

const parsers = { single: parser(false), bulk: parser(true) };

export function decodeXml(bytes: Buffer, { bulk = false }: CodecOptions = {}): { tree: XmlTree; charset: Charset } {
  const charset = declaredCharset(bytes);
  const text = decodeText(bytes, charset);
  refuseForbiddenCharacters(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw malformed(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`, `${valid.err.line}行目 ${valid.err.col}列: ${inJapanese(valid.err.msg)}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = (bulk ? parsers.bulk : parsers.single).parse(text);
  } catch (error) {
    // v5 throws, e.g., for a __proto__ element or nesting deeper than maxNestedTags.
    const message = (error as Error).message;
    if (/nested tags/i.test(message)) throw new CodecError("TOO_DEEP", "メッセージの入れ子が深すぎます。", `elements nested deeper than ${MAX_NESTING}`);
    throw malformed(message);
  }
  // The validator lets several root elements through.
  const roots = Object.keys(parsed).filter((name) => name !== "#text");
  if (roots.length !== 1 || Array.isArray(parsed[roots[0]!])) throw malformed("more than one root element", "ルート要素が複数あります");
  if (roots[0] !== "XmlMsg") {
    throw new CodecError("XML_ROOT", "XMLのルート要素が XmlMsg ではありません。", `root element is ${roots[0]}, not XmlMsg`);
  }
  return { tree: { XmlMsg: clean(parsed.XmlMsg, "XmlMsg") }, charset };
}

const CHARACTER_REFERENCE = /&#(?:x([0-9A-Fa-f]+)|([0-9]+));/g;

/**
 * Characters XML 1.0 forbids, raw or as a reference (&#xFFFE;, &#0;): the parser would pass the
 * first into the tree and silently drop the second. Refused naming the element they stand in.
 */
function refuseForbiddenCharacters(text: string): void {
  let at = forbiddenCharacterIndex(text);
  let name = at < 0 ? undefined : codePointName(text.codePointAt(at)!);
  for (const match of at >= 0 ? [] : text.matchAll(CHARACTER_REFERENCE)) {
    const code = match[1] !== undefined ? parseInt(match[1].slice(0, 8), 16) : Number(match[2]!.slice(0, 8));
    if (isXmlCharCode(code)) continue;
    at = match.index;
    name = `&#${match[1] !== undefined ? `x${match[1]}` : match[2]}; (${codePointName(code)})`;
    break;
  }
  if (at < 0) return;
  const element = /<([A-Za-z_][\w.-]*)[^<]*$/.exec(text.slice(Math.max(0, at - 4096), at))?.[1];
  const line = text.slice(0, at).split("\n").length;
  throw new CodecError(
    "FORBIDDEN_CHARACTER",
    `使用できない文字が含まれています。(${element ?? `${line}行目`}: ${name})`,
    `${name} at line ${line}${element ? ` in ${element}` : ""}, which XML 1.0 forbids`,
    element,
  );
}

/** The charset a name (an XML declaration's, a Content-Type's charset=) stands for, if onshi speaks it. */
export function charsetNamed(name: string): Charset | undefined {
  if (UTF8_NAMES.has(name.toLowerCase())) return "UTF-8";
  if (SHIFT_JIS_NAMES.has(name.toLowerCase())) return "Shift_JIS";
  return undefined;
}

/** The charset the XML declaration names; UTF-8 when there is none. */
function declaredCharset(bytes: Buffer): Charset {
  const head = bytes.subarray(0, 200).toString("latin1");
  const declared = /^(?:\xEF\xBB\xBF)?<\?xml\s[^>]*?\bencoding\s*=\s*(["'])(.*?)\1/.exec(head)?.[2];
  if (declared === undefined) return "UTF-8";
  const charset = charsetNamed(declared);
  if (charset) return charset;
  throw new CodecError("XML_ENCODING", "XMLの文字コードが不正です。", `unsupported encoding "${declared}" (UTF-8 or Shift_JIS)`);
}

function decodeText(bytes: Buffer, charset: Charset): string {
  if (charset === "UTF-8") {
    try {
      // Not iconv-lite: it replaces invalid UTF-8 silently. This also drops a BOM.
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new CodecError("XML_ENCODING", "XMLの文字コードが不正です。", "bytes are not valid UTF-8");
    }
  }
  const text = iconv.decode(bytes, "cp932");
  // iconv-lite marks byte sequences CP932 does not define with U+FFFD, which CP932 cannot encode.
  if (text.includes("\uFFFD")) {
    throw new CodecError("XML_ENCODING", "XMLの文字コードが不正です。", "bytes are not valid Shift_JIS (CP932)");
  }
  // UTF-8 Japanese often decodes as CP932 without a gap (ヤマダ becomes 繝､繝槭ム). Shift_JIS text
  // whose every multi-byte run is also well-formed UTF-8 with a 3-byte character is rare enough
  // that such a body is taken for mislabelled UTF-8.
  if (isUtf8WithWideCharacters(bytes)) {
    throw new CodecError("XML_ENCODING", "XMLの文字コードが不正です。", "bytes declared Shift_JIS are UTF-8");
  }
  return text;
}

/** Whether the bytes are well-formed UTF-8 holding a character of 3 bytes or more (all of Japanese). */
function isUtf8WithWideCharacters(bytes: Buffer): boolean {
  if (!bytes.some((byte) => byte >= 0xe0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Drops the whitespace that pretty-printing leaves between elements; leaf text stays verbatim. */
function clean(value: unknown, path: string): XmlValue {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const items = value.map((item, i) => clean(item, `${path}[${i}]`));
    if (items.every((item) => typeof item === "string") || items.every(isTree)) return items as string[] | XmlTree[];
    throw malformed(`${path} is empty or text in one occurrence and has child elements in another`, `${path} が子要素を持つものと持たないものとで繰り返されています`);
  }
  const out: XmlTree = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    if (name !== "#text") out[name] = clean(child, `${path}.${name}`);
    else if (String(child).trim() !== "") throw malformed(`${path} mixes text with child elements`, `${path} に値と子要素が混在しています`);
  }
  return out;
}

/** E1002: `where` says in Japanese where and what (the answer's ErrorMessage names it), `detail` the parser's own words. */
function malformed(detail: string, where?: string): CodecError {
  return new CodecError("XML_MALFORMED", "XMLの形式が不正です。", detail, where);
}

/** fast-xml-parser's validator messages (src/validator.js), in Japanese; the tag names they quote are kept. */
const VALIDATOR_MESSAGES: [RegExp, (...names: string[]) => string][] = [
  [/^Unclosed tag '(.*)'\.$/, (tag) => `要素 ${tag} が閉じられていません`],
  [/^Expected closing tag '(.*)' \(opened in line (\d+), col \d+\) instead of closing tag '(.*)'\.$/, (open, line, close) => `要素 ${open} (${line}行目) の終了タグの位置に ${close} の終了タグがあります`],
  [/^Closing tag '(.*)' has not been opened\.$/, (tag) => `終了タグ ${tag} に対応する開始タグがありません`],
  [/^Closing tag '(.*)' doesn't have proper closing\.$/, (tag) => `終了タグ ${tag} が > で閉じられていません`],
  [/^Closing tag '(.*)' can't have attributes or invalid starting\.$/, (tag) => `終了タグ ${tag} が不正です`],
  [/^Tag '(.*)' is an invalid name\.$/, (tag) => `要素名 ${tag} は使えません`],
  [/^Invalid space after '<'\.$/, () => "< の直後に空白があります"],
  [/^Attributes for '(.*)' have open quote\.$/, (tag) => `要素 ${tag} の属性の引用符が閉じられていません`],
  [/^(?:boolean )?[Aa]ttribute '(.*)' /, (name) => `属性 ${name} が不正です`],
  [/^char '(.*)' is not expected\.$/, (char) => `文字 ${char} はこの位置に書けません`],
  [/^Multiple possible root nodes found\.$/, () => "ルート要素が複数あります"],
  [/^Extra text at the end$/, () => "ルート要素の後に余分な文字があります"],
  [/^Start tag expected\.$/, () => "開始タグがありません"],
  [/^XML declaration allowed only at the start of the document\.$/, () => "XML 宣言は文書の先頭にしか書けません"],
  [/^Invalid '\[(.*)\]' found\.$/, (tags) => `文書の終わりまでに閉じられていない要素があります (${tags.replace(/[\s"]/g, "").replace(/,/g, ", ")})`],
];

// The validator quotes one UTF-16 unit, which may be half of a surrogate pair: the answer must stay
// well-formed XML, so a lone half is shown as U+FFFD.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function inJapanese(message: string): string {
  for (const [pattern, say] of VALIDATOR_MESSAGES) {
    const match = pattern.exec(message);
    if (match) return say(...match.slice(1)).replace(LONE_SURROGATE, "\uFFFD");
  }
  return "XML として読めません";
}

export function encodeXml(tree: XmlTree, charset: Charset): Buffer {
  const out = new ChunkWriter(charset);
  out.write(`<?xml version="1.0" encoding="${charset}" standalone="no"?>\n`);
  render(tree, 0, out);
  const bytes = out.end();
  if (bytes === undefined) throw unrepresentable(tree, "")!;
  return bytes;
}

/**
 * Collects the text in small pieces and encodes it 64 KB at a time: one string of a 200 MB
 * answer (a 100,000-row 一括照会) cost more in garbage collection than the rendering itself.
 */
class ChunkWriter {
  private parts: string[] = [];
  private length = 0;
  private readonly chunks: Buffer[] = [];
  private lossy = false;

  constructor(private readonly charset: Charset) {}

  write(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= 65_536) this.flush();
  }

  private flush(): void {
    const text = this.parts.join("");
    this.parts = [];
    this.length = 0;
    if (this.charset === "UTF-8") return void this.chunks.push(Buffer.from(text, "utf8"));
    // CP932 writes "?" for what it lacks, and maps some characters to others (¥ to \): refuse both.
    const bytes = iconv.encode(text, "cp932");
    if (iconv.decode(bytes, "cp932") !== text) this.lossy = true;
    this.chunks.push(bytes);
  }

  /** The bytes, or undefined when Shift_JIS could not carry some character. */
  end(): Buffer | undefined {
    this.flush();
    return this.lossy ? undefined : Buffer.concat(this.chunks);
  }
}

/**
 * The layout fast-xml-parser's XMLBuilder wrote (format, 4-space indent, empty elements as
 * <A></A>, an empty list as nothing), several times faster: a 100,000-row 一括照会 answer is
 * 200 MB of XML.
 */
function render(tree: XmlTree, depth: number, out: ChunkWriter): void {
  const indent = indentOf(depth);
  for (const name in tree) {
    const value = tree[name]!;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string") {
        out.write(`${indent}<${name}>${escapeText(item)}</${name}>\n`);
      } else if (isEmpty(item)) {
        out.write(`${indent}<${name}></${name}>\n`);
      } else {
        out.write(`${indent}<${name}>\n`);
        render(item, depth + 1, out);
        out.write(`${indent}</${name}>\n`);
      }
    }
  }
}

/** Whether an element renders with no children (no fields, or only empty lists). */
function isEmpty(tree: XmlTree): boolean {
  for (const name in tree) {
    const value = tree[name]!;
    if (!Array.isArray(value) || value.length > 0) return false;
  }
  return true;
}

const INDENTS: string[] = [];
const indentOf = (depth: number): string => (INDENTS[depth] ??= "    ".repeat(depth));
const SPECIAL = /[&<>'"]/g;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "'": "&apos;", '"': "&quot;" };

function escapeText(text: string): string {
  // Input refuses these; a stored value holding one must not make the answer ill-formed XML.
  const forbidden = forbiddenCharacter(text);
  if (forbidden !== undefined) throw new CodecError("FORBIDDEN_CHARACTER", `XMLで表せない文字が含まれています。(${forbidden})`, `answer text contains ${forbidden}`);
  return text.replace(SPECIAL, (ch) => ENTITIES[ch]!);
}

/** The error naming the first element whose text (or name) CP932 does not carry over. */
function unrepresentable(value: XmlValue, path: string): CodecError | undefined {
  if (typeof value === "string") return lostCharacter(value, path);
  const entries: [string, XmlValue, string?][] = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : Object.entries(value).map(([name, child]) => [path ? `${path}.${name}` : name, child, name]);
  for (const [at, child, name] of entries) {
    const error = (name === undefined ? undefined : lostCharacter(name, at)) ?? unrepresentable(child, at);
    if (error) return error;
  }
  return undefined;
}

function lostCharacter(text: string, path: string): CodecError | undefined {
  const ch = [...text].find((c) => iconv.decode(iconv.encode(c, "cp932"), "cp932") !== c);
  if (ch === undefined) return undefined;
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return new CodecError(
    "XML_UNREPRESENTABLE",
    `Shift_JISで表せない文字が含まれています。(${path}: ${ch})`,
    `${path} contains "${ch}" (${code}), which Shift_JIS (CP932) cannot represent`,
  );
}

/** OQSCD005 CharacterCodeIdentifier: 0 UTF-8, 1 Shift_JIS. */
export function charsetOf(identifier: "0" | "1"): Charset {
  return identifier === "1" ? "Shift_JIS" : "UTF-8";
}

export function identifierOf(charset: Charset): "0" | "1" {
  return charset === "Shift_JIS" ? "1" : "0";
}
