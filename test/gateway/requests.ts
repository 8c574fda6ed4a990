// Request files as real clients write them, and waiting for their answers in `res`.
import { lstat, readdir } from "node:fs/promises";
import iconv from "iconv-lite";

/** The declaration OQSDrug2 and MynaReception write; sanox writes the UTF-8 one. */
export function declaration(charset: "UTF-8" | "Shift_JIS"): string {
  return `<?xml version="1.0" encoding="${charset}" standalone="no"?>`;
}

export function checkRequestXml(facility: string, info: Record<string, string>, date = "20260401"): string {
  const fields = Object.entries(info)
    .map(([name, value]) => `      <${name}>${value}</${name}>`)
    .join("\r\n");
  return [
    "<XmlMsg>",
    "  <MessageHeader>",
    `    <QualificationConfirmationDate>${date}</QualificationConfirmationDate>`,
    `    <MedicalInstitutionCode>${facility}</MedicalInstitutionCode>`,
    "  </MessageHeader>",
    "  <MessageBody>",
    "    <QualificationConfirmSearchInfo>",
    fields,
    "    </QualificationConfirmSearchInfo>",
    "  </MessageBody>",
    "</XmlMsg>",
  ].join("\r\n");
}

/** An upload (OQSmuquc01req or OQSmuimm01req): one `rowElement` per row, as one line each. */
export function bulkUploadXml(facility: string, rowElement: string, rows: Record<string, string>[]): string {
  const date = rowElement === "QualificationConfirmSearchInfo" ? "<QualificationConfirmationDate>20260401</QualificationConfirmationDate>" : "";
  return [
    `<XmlMsg><MessageHeader>${date}<MedicalInstitutionCode>${facility}</MedicalInstitutionCode></MessageHeader><MessageBody>`,
    ...rows.map((row) => `<${rowElement}>${Object.entries(row).map(([k, v]) => `<${k}>${v}</${k}>`).join("")}</${rowElement}>`),
    "</MessageBody></XmlMsg>",
  ].join("\r\n");
}

export function encodeRequest(xml: string, charset: "UTF-8" | "Shift_JIS"): Buffer {
  const text = `${declaration(charset)}\r\n${xml}`;
  return charset === "UTF-8" ? Buffer.from(text, "utf8") : iconv.encode(text, "cp932");
}

/** Whether the entry exists (a dangling symbolic link does). */
export async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Polls for a file as real clients do (OQSDrug2 polls `res` for the expected name). */
async function waitUntil(condition: () => Promise<boolean>, failure: string, timeoutMs: number, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${failure} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function waitForFile(path: string, timeoutMs = 10_000, intervalMs = 10): Promise<void> {
  return waitUntil(() => exists(path), `no ${path}`, timeoutMs, intervalMs);
}

/** The gateway removes a request just after writing its answer: wait for that, not past it. */
export function waitForEmptyFolder(path: string, timeoutMs = 5_000): Promise<void> {
  return waitUntil(async () => (await readdir(path)).length === 0, `${path} was not emptied`, timeoutMs);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
