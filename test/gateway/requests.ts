// Request files as real clients write them, and waiting for their answers in `res`.
import { access } from "node:fs/promises";
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

export function encodeRequest(xml: string, charset: "UTF-8" | "Shift_JIS"): Buffer {
  const text = `${declaration(charset)}\r\n${xml}`;
  return charset === "UTF-8" ? Buffer.from(text, "utf8") : iconv.encode(text, "cp932");
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Polls for a file as real clients do (OQSDrug2 polls `res` for the expected name). */
export async function waitForFile(path: string, timeoutMs = 10_000, intervalMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await exists(path))) {
    if (Date.now() > deadline) throw new Error(`no ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
