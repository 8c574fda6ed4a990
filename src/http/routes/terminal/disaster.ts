// The terminal page's 災害時医療情報閲覧 routes (/terminal/api/disaster…): whether a declaration
// opens the facility's viewing now, the search without a card, and a document as PDF. All for the
// signed-in staff member's facility, under the declaration in force for it (E8210 otherwise).
//
// A match is named by a handle, not the person's id: an HMAC, under a key of this server process,
// of the facility, the declaration and the person. A view needs a handle from this facility's
// search under the declaration still in force, so an id guessed, or another facility's handle,
// is the same E8211 as a person who is not there. A restart forgets the key: search again.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Db } from "../../../db/client.ts";
import { mayView } from "../../../domain/staff.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { DISASTER_CONSENTS, DISASTER_DOCUMENTS, requireDeclaration, searchForDisaster, viewForDisaster, type DisasterDocument } from "../../../services/disaster-search.ts";
import { activeDeclarationFor } from "../../../services/disaster.ts";
import type { StaffSessions } from "../../../services/staff.ts";
import { errorBodySchema } from "../../error-body.ts";
import { codedViolation } from "../../framework-errors.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
}

const answer = { type: "object", additionalProperties: true };
const field = { type: "string", maxLength: 200 };
const searchBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    insurer: field, symbol: field, number: field, branch: field, birthdate: field, name: field, sex: field, address: field,
    page: { anyOf: [{ type: "integer" }, { type: "string", maxLength: 10 }] },
  },
};
const viewBody = {
  type: "object",
  additionalProperties: false,
  required: ["handle", "consent", "document"],
  properties: { handle: { type: "string", maxLength: 100 }, consent: { type: "string", maxLength: 20 }, document: { type: "string", maxLength: 40 } },
};

export function registerDisasterRoutes(app: FastifyInstance, deps: Deps): void {
  const session = requireStaffSession(deps.staff);
  const key = randomBytes(32);
  const mac = (facility: string, declaration: number, personId: number) =>
    createHmac("sha256", key).update(`${facility}\n${declaration}\n${personId}`).digest("base64url").slice(0, 32);
  const handleOf = (facility: string, declaration: number, personId: number) => `${personId}.${mac(facility, declaration, personId)}`;
  const personOf = (facility: string, declaration: number, handle: string): number => {
    const m = /^([0-9]{1,15})\.([A-Za-z0-9_-]{32})$/.exec(handle);
    const personId = m ? Number(m[1]) : 0;
    const expected = Buffer.from(m ? mac(facility, declaration, personId) : "");
    if (!m || !timingSafeEqual(Buffer.from(m[2]!), expected.length === 32 ? expected : Buffer.alloc(32))) throw new OqsError("E8211");
    return personId;
  };

  app.get(
    "/terminal/api/disaster",
    { onRequest: session, schema: { hide: true, summary: "災害時医療情報閲覧が利用できるか (宣言中の災害)", response: { 200: answer, 401: errorBodySchema } } },
    async (request) => {
      const { account } = staffSession(request);
      const declaration = await activeDeclarationFor(deps.db, account.facilityCode, deps.now());
      return {
        available: declaration !== undefined,
        ...(declaration ? { declaration: { id: declaration.id, name: declaration.name, startsAt: declaration.startsAt.toISOString(), endsAt: declaration.endsAt.toISOString() } } : {}),
        consents: DISASTER_CONSENTS,
        documents: Object.fromEntries(Object.entries(DISASTER_DOCUMENTS).map(([k, d]) => [k, { label: d.label, allowed: d.categories.every((c) => mayView(account.role, c)) }])),
      };
    },
  );

  app.post(
    "/terminal/api/disaster/search",
    {
      onRequest: session,
      bodyLimit: 4 * 1024,
      schemaErrorFormatter: codedViolation("E8212"),
      schema: { hide: true, summary: "災害時の患者検索 (保険者番号等、または氏名・生年月日・性別・住所)", body: searchBody, response: { 200: answer, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema } },
    },
    async (request) => {
      const { account } = staffSession(request);
      const page = await searchForDisaster(deps.db, { facilityCode: account.facilityCode, at: deps.now(), search: request.body as Record<string, string> });
      return {
        ...page,
        matches: page.matches.map(({ personId, ...match }) => ({ handle: handleOf(account.facilityCode, page.declaration.id, personId), ...match })),
      };
    },
  );

  app.post(
    "/terminal/api/disaster/view",
    {
      onRequest: session,
      bodyLimit: 1024,
      schemaErrorFormatter: codedViolation("E8220"),
      schema: { hide: true, summary: "災害時の医療情報 (PDF)", body: viewBody, response: { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema } },
    },
    async (request, reply) => {
      const { account } = staffSession(request);
      const body = request.body as { handle: string; consent: string; document: string };
      const at = deps.now();
      const declaration = await requireDeclaration(deps.db, account.facilityCode, at);
      const document = Object.hasOwn(DISASTER_DOCUMENTS, body.document) ? (body.document as DisasterDocument) : undefined;
      if (document && !DISASTER_DOCUMENTS[document].categories.every((c) => mayView(account.role, c))) throw new OqsError("E2105");
      const personId = personOf(account.facilityCode, declaration.id, body.handle);
      const view = await viewForDisaster(deps.db, {
        facilityCode: account.facilityCode,
        at,
        personId,
        consent: body.consent,
        document: body.document,
        actor: { kind: "staff", account: account.loginId, role: account.role },
      });
      return reply
        .type("application/pdf")
        .header("cache-control", "no-store")
        .header("content-disposition", `inline; filename="disaster-${view.document}.pdf"`)
        .send(view.pdf);
    },
  );
}
