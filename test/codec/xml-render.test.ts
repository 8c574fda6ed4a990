// The XML renderer's layout rules and its chunked encoding (answers of a 100,000-row 一括照会 are
// written 64 KB at a time, so a character or an error must not be lost at a chunk's edge).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CodecError } from "../../src/codec/errors.ts";
import { decodeXml, encodeXml, type Charset } from "../../src/codec/xml.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n';

const LAYOUTS: [string, XmlTree, string][] = [
  ["an empty text is an empty pair of tags", { XmlMsg: { A: "" } }, "<XmlMsg>\n    <A></A>\n</XmlMsg>\n"],
  ["an element with no children is an empty pair of tags", { XmlMsg: { A: {} } }, "<XmlMsg>\n    <A></A>\n</XmlMsg>\n"],
  ["an element whose only child is an empty list is empty", { XmlMsg: { A: { B: [] } } }, "<XmlMsg>\n    <A></A>\n</XmlMsg>\n"],
  ["an empty list writes nothing", { XmlMsg: { A: [], B: "1" } }, "<XmlMsg>\n    <B>1</B>\n</XmlMsg>\n"],
  ["a list repeats the element at the same depth", { XmlMsg: { A: ["1", "2"] } }, "<XmlMsg>\n    <A>1</A>\n    <A>2</A>\n</XmlMsg>\n"],
  ["nesting indents by 4 spaces", { XmlMsg: { A: [{ B: { C: "1" } }] } }, "<XmlMsg>\n    <A>\n        <B>\n            <C>1</C>\n        </B>\n    </A>\n</XmlMsg>\n"],
  ["markup characters and quotes are entities", { XmlMsg: { A: `&<>'"` } }, "<XmlMsg>\n    <A>&amp;&lt;&gt;&apos;&quot;</A>\n</XmlMsg>\n"],
];

for (const [name, tree, xml] of LAYOUTS) {
  test(`layout: ${name}`, () => assert.equal(encodeXml(tree, "UTF-8").toString("utf8"), DECLARATION + xml));
}

// About 1 MB: many chunks, with multi-byte text on every edge.
const units = Array.from({ length: 5_000 }, (_, i) => ({ Name: `髙橋 ①${i}`, NameKana: "ﾀｶﾊｼ", Note: "a&b" }));
const large: XmlTree = { XmlMsg: { MessageBody: { BulkConfirmUnit: units } } };

for (const charset of ["UTF-8", "Shift_JIS"] as Charset[]) {
  test(`${charset}: a large answer written in chunks decodes to the same tree`, () => {
    const bytes = encodeXml(large, charset);
    assert.ok(bytes.length > 500_000, "bytes.length > 500_000");
    const decoded = decodeXml(bytes, { bulk: true });
    assert.equal(decoded.charset, charset);
    assert.deepEqual(decoded.tree, large);
  });
}

test("Shift_JIS: a character it lacks, far into a large answer, is refused with its element", () => {
  const last = units.length - 1;
  const tree = { XmlMsg: { MessageBody: { BulkConfirmUnit: units.map((u, i) => (i === last ? { ...u, Name: "𠮷田" } : u)) } } };
  assert.throws(
    () => encodeXml(tree, "Shift_JIS"),
    (e: unknown) => e instanceof CodecError && e.code === "XML_UNREPRESENTABLE" && e.detail.includes(`BulkConfirmUnit[${last}].Name`),
  );
});
