// Errors of the codecs at the edge; the transports map them to the protocol's error codes.
export type CodecErrorCode = "XML_MALFORMED" | "XML_ENCODING" | "XML_ROOT" | "XML_UNREPRESENTABLE" | "JSON_SHAPE" | "TOO_DEEP" | "FORBIDDEN_CHARACTER";

export class CodecError extends Error {
  override readonly name = "CodecError";

  constructor(
    readonly code: CodecErrorCode,
    /** Japanese, for the operator. */
    message: string,
    /** English, naming the place at fault. */
    readonly detail: string,
    /** The element at fault, for the answer's message, where one is known. */
    readonly element?: string,
  ) {
    super(message);
  }
}
