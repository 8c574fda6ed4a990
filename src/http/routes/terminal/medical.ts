// GET /terminal/api/patients/:sequence/medical/:category (one category as JSON) and
// GET /terminal/api/patients/:sequence/pdf/:document (the 薬剤情報 or 特定健診情報 PDF). The role
// and the patient's consent decide in viewMedicalInfo (mayView first: E2105), which records the view,
// shown or refused, with the staff account as the actor.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../../../db/client.ts";
import type { AuditActor } from "../../../domain/audit.ts";
import { MEDICAL_INFO_CATEGORIES, type MedicalHistory, type MedicalInfoCategory } from "../../../domain/medical-history.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { viewMedicalInfo, type MedicalInfoView } from "../../../services/medical-info.ts";
import { checkupPdf, drugInfoPdf, type PdfPerson } from "../../../services/medical-pdf.ts";
import type { StaffSession, StaffSessions } from "../../../services/staff.ts";
import { findPatient } from "../../../services/terminal-patients.ts";
import { errorBodySchema } from "../../error-body.ts";
import { requireStaffSession, staffSession } from "../../staff-session.ts";

interface Deps {
  db: Db;
  now: () => Date;
  staff: StaffSessions;
}

/** What each category answers of the history. */
const PART: Record<MedicalInfoCategory, keyof MedicalHistory> = { pharmacists: "drugs", specificHealthCheckups: "checkups", diagnosis: "treatments", operation: "operations" };

const DOCUMENTS = {
  drugs: { category: "pharmacists", file: "yakuzai", render: (view: MedicalInfoView, asOf: Date) => drugInfoPdf({ person: pdfPerson(view), history: view.history, asOf, withTreatments: false }) },
  checkups: { category: "specificHealthCheckups", file: "tokuteikenshin", render: (view: MedicalInfoView, asOf: Date) => checkupPdf({ person: pdfPerson(view), checkups: view.history.checkups, asOf }) },
} as const satisfies Record<string, { category: MedicalInfoCategory; file: string; render: (view: MedicalInfoView, asOf: Date) => Promise<Buffer> }>;

function pdfPerson({ person }: MedicalInfoView): PdfPerson {
  return { name: person.name, kana: person.nameKana, birthdate: person.birthdate.replaceAll("-", ""), sex: person.sex };
}

const actorOf = ({ account }: StaffSession): AuditActor => ({ kind: "staff", account: account.loginId, role: account.role });

export function registerMedicalRoutes(app: FastifyInstance, deps: Deps): void {
  const session = requireStaffSession(deps.staff);

  /** The patient and the view, or the refusal (E2105 the role's, E8100–E8106 the consent's), which viewMedicalInfo records. */
  async function view(request: FastifyRequest, category: MedicalInfoCategory, render?: (view: MedicalInfoView, asOf: Date) => Promise<Buffer>): Promise<MedicalInfoView> {
    const signedIn = staffSession(request);
    const { facilityCode } = signedIn.account;
    const at = deps.now();
    const { personId } = await findPatient(deps.db, facilityCode, Number((request.params as { sequence: string }).sequence), at);
    const event = { at, facilityCode, actor: actorOf(signedIn), channel: "terminal" as const, personId, categories: [category] };
    return viewMedicalInfo(deps.db, { ...event, basis: { kind: "consent" }, ...(render ? { render: (v: MedicalInfoView) => render(v, at) } : {}) });
  }

  const unknownPatient = () => new OqsError("E2106");

  app.get(
    "/terminal/api/patients/:sequence/medical/:category",
    {
      onRequest: session,
      schemaErrorFormatter: unknownPatient,
      schema: {
        hide: true,
        params: { type: "object", required: ["sequence", "category"], properties: { sequence: { type: "string", pattern: "^[0-9]{1,15}$" }, category: { type: "string", enum: [...MEDICAL_INFO_CATEGORIES] } } },
        response: { 200: { type: "object", additionalProperties: true }, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { category } = request.params as { category: MedicalInfoCategory };
      const shown = await view(request, category);
      reply.header("cache-control", "no-store");
      return { category, items: shown.history[PART[category]] };
    },
  );

  app.get(
    "/terminal/api/patients/:sequence/pdf/:document",
    {
      onRequest: session,
      schemaErrorFormatter: unknownPatient,
      schema: {
        hide: true,
        params: { type: "object", required: ["sequence", "document"], properties: { sequence: { type: "string", pattern: "^[0-9]{1,15}$" }, document: { type: "string", enum: Object.keys(DOCUMENTS) } } },
        response: { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request, reply) => {
      const document = DOCUMENTS[(request.params as { document: keyof typeof DOCUMENTS }).document];
      const shown = await view(request, document.category, document.render);
      return reply
        .header("cache-control", "no-store")
        .header("content-disposition", `attachment; filename="${document.file}.pdf"`)
        .type("application/pdf")
        .send(shown.document);
    },
  );
}
