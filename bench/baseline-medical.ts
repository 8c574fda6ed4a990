// The bare baselines for 薬剤情報 and the 特定健診 PDF. /drugs reads the patient's rows (person,
// qualification) for the request's key with one indexed, named SELECT through pg and serialises
// them with JSON.stringify: no authentication, consent, history, audit or message building.
// /checkup-pdf has PDFKit draw PAGES pages of table text in the same embedded fonts, with no
// database, history or chart.
import { createRequire } from "node:module";
import * as fontkit from "fontkit";
import Fastify from "fastify";
import PDFDocument from "pdfkit";
import pg from "pg";

const resolve = createRequire(import.meta.url).resolve;
const fonts = {
  regular: fontkit.openSync(resolve("@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf")),
  bold: fontkit.openSync(resolve("@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf")),
};
const PAGES = Number(process.env.PAGES ?? 1);

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
const app = Fastify();
app.post("/drugs", async (request, reply) => {
  const header = (request.body as any).XmlMsg.MessageHeader;
  const { rows } = await pool.query({
    name: "baseline-drugs",
    text: `select q.*, p.* from qualifications q join persons p on p.person_id = q.person_id
     where q.insurer_number = $1 and q.insured_identification_number = $2`,
    values: [header.InsurerNumber.trim(), header.InsuredPersonIdentificationNumber],
  });
  return reply.type("application/json").send(JSON.stringify({ rows }));
});
app.post("/checkup-pdf", async (_request, reply) => {
  const doc = new PDFDocument({ size: "A4", margin: 40 });
  doc.registerFont("regular", fonts.regular as never);
  doc.registerFont("bold", fonts.bold as never);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((ok) => doc.on("end", ok));
  for (let page = 0; page < PAGES; page++) {
    if (page > 0) doc.addPage();
    doc.font("bold").fontSize(16).text("特定健診情報");
    doc.font("regular").fontSize(9);
    for (let row = 0; row < 24; row++) doc.text(`検査項目${row}　基準値 129 以下　mmHg　128　*134 H　*138 H　*142 H　*131 H`);
  }
  doc.end();
  await done;
  return reply.type("application/pdf").send(Buffer.concat(chunks));
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.once("SIGTERM", () => app.close().then(() => pool.end()).then(() => process.exit(0)));
