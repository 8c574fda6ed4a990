// The protocol's error code for each codec failure, shared by every transport that decodes.
import type { CodecError } from "../codec/errors.ts";
import type { ErrorCode } from "../errors/catalogue.ts";

export const CODEC_ERROR_CODES: Record<CodecError["code"], ErrorCode> = {
  XML_MALFORMED: "E1002",
  XML_ENCODING: "E1003",
  XML_ROOT: "E1004",
  XML_UNREPRESENTABLE: "E1003",
  JSON_SHAPE: "E1004",
  TOO_DEEP: "E1004",
  FORBIDDEN_CHARACTER: "E1013",
};
