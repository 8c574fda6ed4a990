// The bare baseline for 個別照会: a minimal Fastify route that runs one indexed SELECT for the
// same key through the same driver (pg), with no validation, decision or message building.
// Its statement is named (prepared once per connection), as onshi's are, so the ratio measures
// onshi's own work rather than a difference in how the driver is used. Its pool keeps 16
// connections: with onshi's smaller default it ran no faster in our runs.
import Fastify from "fastify";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 16 });
const app = Fastify();
app.post("/search", async (request) => {
  const info = (request.body as any).XmlMsg.MessageBody.QualificationConfirmSearchInfo;
  const { rows } = await pool.query({
    name: "baseline",
    text: `select q.*, p.* from qualifications q join persons p on p.person_id = q.person_id
     where q.insurer_number = $1 and q.insured_identification_number = $2`,
    values: [info.InsurerNumber.trim(), info.InsuredIdentificationNumber],
  });
  return { rows };
});
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.once("SIGTERM", () => app.close().then(() => pool.end()).then(() => process.exit(0)));
