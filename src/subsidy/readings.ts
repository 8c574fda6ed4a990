// The readings chosen where a source is ambiguous or silent, gathered from every program data file
// (their `readings`) into one Markdown page, docs/subsidy-readings.md — a test keeps the page equal
// to the files, so the page never says something the engine does not do.
import { DOCUMENTS, documentName, isDocumentId } from "./documents.ts";
import { ProgramDataError } from "./engine.ts";
import { READINGS as LATE_INTEREST_READINGS } from "./late-interest.ts";
import { PROGRAM_FILE_NAMES, readProgramFile } from "./program-data.ts";
import { RETURN_READINGS } from "./reader-return.ts";

/** A reading as the data files state it: a sentence, or topic / reading / why. */
type Reading = string | { topic: string; reading: string; why?: string };

/** A reading names a document as `[[id]]` (an id of ./documents.ts): shown by its title and date. */
export function withDocuments(text: string, file: string): string {
  return text.replace(/\[\[([^\]]*)\]\]/g, (_, id: string) => {
    if (!isDocumentId(id)) throw new ProgramDataError("E9105", `補助金プログラムのデータファイルが不正です。(${file}.json readings: [[${id}]] is not a public document of src/subsidy/documents.ts)`);
    return documentName(id);
  });
}

function readingText(r: Reading, file: string): string {
  return withDocuments(typeof r === "string" ? r : `**${r.topic}**: ${r.reading}${r.why ? ` — ${r.why}` : ""}`, file);
}

export function readingsMarkdown(): string {
  const lines = [
    "# 補助金プログラムの読み方 (readings chosen)",
    "",
    "Where a source is ambiguous or silent, each program data file (`src/subsidy/programs/<file>.json`)",
    "records the reading chosen and why; this page gathers them. Generated from the files by",
    "`src/subsidy/readings.ts` (`onshi subsidy readings`); a test keeps it equal to them.",
    "",
    "`l.N` is the line of the document's text (the documents are PDFs whose text has no page markers).",
    "Web sources are cited by their address, marked [V] when the value is in the cited text, [V-2] when",
    "only a secondary source (press, consultants) gives it, [I] when it is only inferred and [MISSING]",
    "when no public text gives it; an [I] or [MISSING] value is never used as a number.",
    "",
    "## 出典 (the public documents)",
    "",
    ...Object.values(DOCUMENTS).map((d) => `- 「${d.title}」 ${d.publisher}, ${d.date}`),
  ];
  for (const file of PROGRAM_FILE_NAMES) {
    const data = readProgramFile(file) as { name?: string; readings?: Reading[] };
    if (!data.readings?.length) continue;
    lines.push("", `## ${file}: ${data.name ?? ""}`.trimEnd(), "");
    for (const r of data.readings) lines.push(`- ${readingText(r, file).replace(/\n/g, " ")}`);
  }
  lines.push("", "## 第11 顔認証付きカードリーダー及び補助金の返還 (`subsidy reader-return`)", "", ...RETURN_READINGS.map((r) => `- ${r}`));
  lines.push("", "## 第12 延滞金 (`subsidy late-interest`)", "", ...LATE_INTEREST_READINGS.map((r) => `- ${r}`));
  return `${lines.join("\n")}\n`;
}
