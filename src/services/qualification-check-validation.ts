// What is wrong with a 個別照会 request, found by the same readers the answer uses, so each problem
// carries the code the answer would report. Unlike the answer, it goes on after the first problem
// of the header; in the search key the readers stop at the first, so that one is reported.
import { OqsError } from "../errors/catalogue.ts";
import { isTree, type XmlTree } from "../oqs/message-tree.ts";
import { leaf, readDate, readEnvelope, readFacilityCode, readSearchInfo } from "../oqs/request-reader.ts";
import type { Problem } from "./message-handlers.ts";

export function validateQualificationCheck(request: XmlTree): Problem[] {
  let envelope;
  try {
    envelope = readEnvelope(request);
  } catch (error) {
    return [problemOf(error, "", {})];
  }
  const { header, body } = envelope;
  const problems: Problem[] = [];
  for (const read of [
    () => readDate(header, "QualificationConfirmationDate"),
    () => readFacilityCode(header),
    () => leaf(header, "ArbitraryFileIdentifier"),
  ]) {
    try {
      read();
    } catch (error) {
      problems.push(problemOf(error, "MessageHeader.", header));
    }
  }
  const info = body.QualificationConfirmSearchInfo;
  const at = "MessageBody.QualificationConfirmSearchInfo";
  if (info === undefined || info === "") problems.push({ code: "E1005", element: at });
  else if (!isTree(info)) problems.push({ code: "E1004", element: at });
  else {
    const reading = readSearchInfo(info);
    if (!reading.ok) problems.push(withValue({ code: reading.code, element: `${at}.${reading.element}` }, info[reading.element]));
  }
  return problems;
}

function problemOf(error: unknown, prefix: string, parent: XmlTree): Problem {
  if (!(error instanceof OqsError)) throw error;
  const problem: Problem = { code: error.code, element: error.element && prefix + error.element };
  return error.element ? withValue(problem, parent[error.element]) : problem;
}

function withValue(problem: Problem, value: unknown): Problem {
  return typeof value === "string" && value !== "" ? { ...problem, value } : problem;
}
