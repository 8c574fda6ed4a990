// What the codecs let through: the characters XML 1.0 allows (its Char production) and a bounded
// nesting. A character outside Char cannot be written into a well-formed answer, so it is refused
// on the way in, raw or as a character reference, whatever the transport.

// Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; with the u
// flag a lone surrogate is a code point of its own and falls outside.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Where the first character XML 1.0 forbids is in `text`, or -1. */
export function forbiddenCharacterIndex(text: string): number {
  return text.search(FORBIDDEN);
}

/** The first character of `text` XML 1.0 forbids, as U+XXXX, or undefined. */
export function forbiddenCharacter(text: string): string | undefined {
  const at = forbiddenCharacterIndex(text);
  return at < 0 ? undefined : codePointName(text.codePointAt(at)!);
}

export function isXmlCharCode(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

export function codePointName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Elements nested deeper than this are refused (E1004). The deepest real message, a 一括照会 result
 * (XmlMsg › MessageBody › BulkConfirmUnit › ResultList › ResultOfQualificationConfirmation ›
 * SpecificDiseasesCertificateList › SpecificDiseasesCertificateInfo › leaf), nests 8 elements;
 * requests nest 4. 32 leaves room for any extension and keeps the recursive walks far from the stack's end.
 */
export const MAX_NESTING = 32;
