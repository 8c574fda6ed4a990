import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { CodecError, type CodecErrorCode } from "../../src/codec/errors.ts";
import { charsetOf, decodeXml, encodeXml, identifierOf, REPEATED_ELEMENTS, type Charset } from "../../src/codec/xml.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import { SAMPLES } from "./samples.ts";

const CHARSETS: Charset[] = ["UTF-8", "Shift_JIS"];
const sjis = (text: string) => iconv.encode(text, "cp932");

function isCodecError(code: CodecErrorCode, detail?: RegExp) {
  return (e: unknown) => e instanceof CodecError && e.code === code && /[ぁ-んァ-ヶ一-龠]/.test(e.message) && (!detail || detail.test(e.detail));
}

for (const charset of CHARSETS) {
  for (const { name, tree, bulk } of SAMPLES) {
    test(`${charset} round trip: ${name}`, () => {
      const bytes = encodeXml(tree, charset);
      const decoded = decodeXml(bytes, { bulk });
      assert.equal(decoded.charset, charset);
      assert.deepEqual(decoded.tree, tree);
      assert.ok(encodeXml(decoded.tree, charset).equals(bytes), "re-encoding gives the same bytes");
      assert.ok(bytes.subarray(0, 80).toString("latin1").startsWith(`<?xml version="1.0" encoding="${charset}" standalone="no"?>\n<XmlMsg>\n    <`), "bytes.subarray(0, 80).toString(\"latin1\").startsWith(`<?xml version=\"1.0\" encoding=\"${charset}\" standalone=\"…");
    });
  }
}

test("Shift_JIS output is CP932: extensions and half-width kana as real terminals write them", () => {
  const bytes = encodeXml({ XmlMsg: { A: "髙①～ｼ　" } }, "Shift_JIS");
  assert.ok(bytes.includes(Buffer.from("<A>\xfb\xfc\x87\x40\x81\x60\xbc\x81\x40</A>", "latin1")), bytes.toString("hex"));
});

test("escaping: & < > are written as entities and read back", () => {
  const text = encodeXml({ XmlMsg: { A: "a&b<c>d &amp; ]]>" } }, "UTF-8").toString();
  assert.match(text, /<A>a&amp;b&lt;c&gt;d &amp;amp; ]]&gt;<\/A>/);
  assert.equal((decodeXml(Buffer.from(text)).tree.XmlMsg as XmlTree).A, "a&b<c>d &amp; ]]>");
});

// The face file of spec §1.4, written out in the order the spec lists it, in the layout of real
// face files (which is also encodeXml's: 4-space indentation).
const FACE = readFileSync(new URL("./fixtures/face-utf8.xml", import.meta.url));
const FACE_TREE: XmlTree = {
  XmlMsg: {
    MessageHeader: {
      ProcessExecutionTime: "20230221174835",
      CharacterCodeIdentifier: "0",
      SegmentOfResult: "1",
      ReferenceClassification: "1",
      ArbitraryFileIdentifier: "ArnHCeDfNjMCFzg=",
    },
    MessageBody: {
      ProcessingResultStatus: "1",
      QualificationValidity: "1",
      ResultList: {
        ResultOfQualificationConfirmation: [
          {
            PharmacistsInfoConsFlg: "1",
            PharmacistsInfoConsTime: "20230221174835",
            PharmacistsInfoAvailableTime: "20230222174835",
            SpecificHealthCheckupsInfoConsFlg: "1",
            SpecificHealthCheckupsInfoConsTime: "20230221174835",
            SpecificHealthCheckupsInfoAvailableTime: "20230222174835",
            DiagnosisInfoConsFlg: "0",
            LimitApplicationCertificateRelatedConsFlg: "0",
            SpecificDiseasesCertificateRelatedConsFlg: "0",
            InsurerNumber: "  123456",
            InsuredCardSymbol: "12-34",
            InsuredBranchNumber: "01",
            PostNumber: "123-4567",
            NameKana: "ｼﾝﾘｮｳ ﾀﾛｳ",
          },
        ],
      },
    },
  },
};
const FACE_SJIS = sjis(FACE.toString("utf8").replace('encoding="UTF-8"', 'encoding="Shift_JIS"'));

for (const [charset, bytes] of [["UTF-8", FACE], ["Shift_JIS", FACE_SJIS]] as const) {
  test(`${charset} face file decodes to the tree, keys in file order, and re-encodes to the same bytes`, () => {
    const decoded = decodeXml(bytes);
    assert.equal(decoded.charset, charset);
    assert.deepEqual(decoded.tree, FACE_TREE);
    assert.deepEqual(Object.keys((decoded.tree.XmlMsg as XmlTree).MessageBody as XmlTree), ["ProcessingResultStatus", "QualificationValidity", "ResultList"]);
    assert.ok(encodeXml(decoded.tree, charset).equals(bytes), "encodeXml(decoded.tree, charset).equals(bytes)");
  });
}

test("a UTF-8 BOM is accepted", () => {
  assert.deepEqual(decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), FACE])).tree, FACE_TREE);
});

const DECLARATIONS: [string, Charset][] = [
  ["UTF-8", "UTF-8"],
  ["utf-8", "UTF-8"],
  ["Shift_JIS", "Shift_JIS"],
  ["shift_jis", "Shift_JIS"],
  ["SJIS", "Shift_JIS"],
  ["Windows-31J", "Shift_JIS"],
  ["CP932", "Shift_JIS"],
];
for (const [declared, charset] of DECLARATIONS) {
  test(`encoding="${declared}" is read as ${charset}`, () => {
    const text = `<?xml version='1.0' encoding='${declared}'?>\n<XmlMsg><Name>髙橋　①</Name></XmlMsg>`;
    const decoded = decodeXml(charset === "UTF-8" ? Buffer.from(text) : sjis(text));
    assert.equal(decoded.charset, charset);
    assert.deepEqual(decoded.tree, { XmlMsg: { Name: "髙橋　①" } });
  });
}

const DECODINGS: [string, string, XmlTree][] = [
  ["no declaration means UTF-8", "<XmlMsg><A>診療</A></XmlMsg>", { XmlMsg: { A: "診療" } }],
  ["empty elements are empty strings", "<XmlMsg><A/><B></B><C><D/></C></XmlMsg>", { XmlMsg: { A: "", B: "", C: { D: "" } } }],
  ["leaf text is verbatim, whitespace-only too", "<XmlMsg>\n  <A>  123456</A>\n  <B> x </B>\n  <C>   </C>\n</XmlMsg>", { XmlMsg: { A: "  123456", B: " x ", C: "   " } }],
  ["numbers are never converted", "<XmlMsg><A>0123</A><B>1e3</B><C>0x1F</C><D>010</D></XmlMsg>", { XmlMsg: { A: "0123", B: "1e3", C: "0x1F", D: "010" } }],
  ["character references and CDATA are decoded", "<XmlMsg><A>&#x9AD9;&#12354;&amp;&lt;&gt;&quot;&apos;</A><B><![CDATA[<&>]]></B></XmlMsg>", { XmlMsg: { A: "髙あ&<>\"'", B: "<&>" } }],
  ["attributes, comments and processing instructions are ignored", '<XmlMsg a="1"><!-- c --><?pi x?><A b="2">v</A></XmlMsg>', { XmlMsg: { A: "v" } }],
  ["an element that is not a repeated one stays an object when once", "<XmlMsg><MessageBody><ResultList><X><A>1</A></X></ResultList></MessageBody></XmlMsg>", { XmlMsg: { MessageBody: { ResultList: { X: { A: "1" } } } } }],
  ["any element occurring twice becomes an array", "<XmlMsg><A>1</A><A>2</A></XmlMsg>", { XmlMsg: { A: ["1", "2"] } }],
];
for (const [name, xml, tree] of DECODINGS) {
  test(`decode: ${name}`, () => assert.deepEqual(decodeXml(Buffer.from(xml)).tree, tree));
}

// The repeated-element rule: "anywhere" names are arrays at any depth; "bulk body" names only
// directly under XmlMsg.MessageBody, and only when the caller says the message is a bulk one.
for (const [name, scope] of REPEATED_ELEMENTS) {
  const once = `<${name}><A>1</A></${name}>`;
  test(`repeated element ${name} (${scope}) occurring once`, () => {
    const atBody = (bulk: boolean) => (decodeXml(Buffer.from(`<XmlMsg><MessageBody>${once}</MessageBody></XmlMsg>`), { bulk }).tree.XmlMsg as XmlTree).MessageBody as XmlTree;
    const nested = (bulk: boolean) => (decodeXml(Buffer.from(`<XmlMsg><MessageBody><U>${once}</U></MessageBody></XmlMsg>`), { bulk }).tree.XmlMsg as XmlTree).MessageBody as XmlTree;
    const array = [{ A: "1" }];
    assert.deepEqual(atBody(true)[name], array);
    assert.deepEqual(atBody(false)[name], scope === "anywhere" ? array : { A: "1" });
    assert.deepEqual((nested(true).U as XmlTree)[name], scope === "anywhere" ? array : { A: "1" });
  });
}

const dup = (xml: string) => Buffer.from(xml);
const MALFORMED: [string, Buffer, CodecErrorCode, RegExp?][] = [
  ["truncated", FACE.subarray(0, 300), "XML_MALFORMED"],
  ["mismatched tags", dup("<XmlMsg><A>1</B></XmlMsg>"), "XML_MALFORMED"],
  ["not XML at all", dup('{"XmlMsg":{}}'), "XML_MALFORMED"],
  ["empty file", Buffer.alloc(0), "XML_MALFORMED"],
  ["two root elements", dup("<XmlMsg/><Other/>"), "XML_MALFORMED", /more than one root/],
  ["two XmlMsg roots", dup("<XmlMsg/><XmlMsg/>"), "XML_MALFORMED", /more than one root/],
  ["text mixed with elements", dup("<XmlMsg>oops<A>1</A></XmlMsg>"), "XML_MALFORMED", /XmlMsg mixes text/],
  ["an element both leaf and parent", dup("<XmlMsg><A>1</A><A><B/></A></XmlMsg>"), "XML_MALFORMED", /XmlMsg\.A /],
  ["a prototype-polluting name", dup("<XmlMsg><__proto__>1</__proto__></XmlMsg>"), "XML_MALFORMED"],
  ["wrong root", dup("<Message><A>1</A></Message>"), "XML_ROOT", /Message/],
  ["namespaced root", dup('<a:XmlMsg xmlns:a="urn:x"/>'), "XML_ROOT"],
  ["unsupported encoding name", dup('<?xml version="1.0" encoding="EUC-JP"?><XmlMsg/>'), "XML_ENCODING", /EUC-JP/],
  ["UTF-16 declared", dup('<?xml version="1.0" encoding="UTF-16"?><XmlMsg/>'), "XML_ENCODING"],
  ["invalid UTF-8 bytes", Buffer.concat([dup("<XmlMsg><A>"), Buffer.from([0xff, 0xfe]), dup("</A></XmlMsg>")]), "XML_ENCODING", /UTF-8/],
  ["Shift_JIS bytes declared as UTF-8", sjis('<?xml version="1.0" encoding="UTF-8"?><XmlMsg><A>診療　ｼﾝﾘｮｳ</A></XmlMsg>'), "XML_ENCODING", /UTF-8/],
  ["Shift_JIS bytes without a declaration", sjis("<XmlMsg><A>髙橋</A></XmlMsg>"), "XML_ENCODING"],
  ["bytes undefined in Shift_JIS", Buffer.concat([dup('<?xml version="1.0" encoding="Shift_JIS"?><XmlMsg><A>'), Buffer.from([0x81, 0x20, 0xa0]), dup("</A></XmlMsg>")]), "XML_ENCODING", /Shift_JIS/],
  ["a UTF-8 BOM on a Shift_JIS file", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), FACE_SJIS]), "XML_ENCODING"],
];
for (const [name, bytes, code, detail] of MALFORMED) {
  test(`malformed: ${name} → ${code}`, () => assert.throws(() => decodeXml(bytes), isCodecError(code, detail)));
}

// Characters CP932 lacks, or maps to a different one: WAVE DASH (vs ～ U+FF5E), MINUS SIGN
// (vs － U+FF0D), YEN SIGN (becomes \), NO-BREAK SPACE, a surrogate pair kanji, an emoji.
const PATH = "XmlMsg.MessageBody.ResultList.ResultOfQualificationConfirmation[1].Name";
for (const ch of ["〜", "−", "¥", "\u00a0", "𠮷", "😀"]) {
  test(`encoding U+${ch.codePointAt(0)!.toString(16).toUpperCase()} in Shift_JIS is refused, naming the element`, () => {
    const tree = { XmlMsg: { MessageBody: { ResultList: { ResultOfQualificationConfirmation: [{ Name: "髙橋" }, { Name: `吉${ch}田` }] } } } };
    assert.throws(
      () => encodeXml(tree, "Shift_JIS"),
      (e: unknown) => isCodecError("XML_UNREPRESENTABLE", new RegExp(`^${PATH.replace(/[.[\]]/g, "\\$&")} contains "${ch}" \\(U\\+`))(e) && (e as Error).message.includes(ch),
    );
    assert.deepEqual(decodeXml(encodeXml(tree, "UTF-8")).tree, tree);
  });
}

test("CharacterCodeIdentifier (OQSCD005): 0 UTF-8, 1 Shift_JIS", () => {
  for (const [identifier, charset] of [["0", "UTF-8"], ["1", "Shift_JIS"]] as const) {
    assert.equal(charsetOf(identifier), charset);
    assert.equal(identifierOf(charset), identifier);
  }
});
