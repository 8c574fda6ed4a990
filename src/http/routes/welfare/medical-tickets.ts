// POST /onshi-api/welfare/medical-tickets: a 福祉事務所 records a 医療券・調剤券 (onshi's own path; the
// offices' real interface, the 中間サーバー's, is not public). The office is authenticated in
// onRequest, before the body is read: `Authorization: Basic <base64 of 公費負担者番号:credential>`
// (the credential from `onshi welfare credential`), throttled per number and per address as the
// facilities' login is; the office recorded is always the authenticated one.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Db } from "../../../db/client.ts";
import { isDatabaseUnavailable } from "../../../db/unavailable.ts";
import { OqsError } from "../../../errors/catalogue.ts";
import { authenticateWelfareOffice, issueMedicalTicket, readTicketRequest } from "../../../services/welfare.ts";
import { answerWithErrorBodies, errorBodySchema } from "../../error-body.ts";
import { LoginThrottle } from "../../login-throttle.ts";
import { noteAnswer } from "../../request-log.ts";

export const WELFARE_PATHS = { medicalTickets: "/onshi-api/welfare/medical-tickets" } as const;

// A ticket's fields: well under a kilobyte; three injury names of 100 characters fit easily.
const BODY_LIMIT_BYTES = 8 * 1024;
const SCHEME = "Basic ";
// An 8-digit number, a colon and a credential of at most 128 characters, in base64.
const MAX_AUTHORIZATION = SCHEME.length + 4 * Math.ceil((8 + 1 + 128 * 4) / 3);

const offices = new WeakMap<FastifyRequest, string>();

/** The office number and credential the header carries; E8700 when there are none. */
function basicCredentials(authorization: string | undefined): { office: string; credential: string } {
  if (!authorization?.startsWith(SCHEME) || authorization.length > MAX_AUTHORIZATION) throw new OqsError("E8700");
  const decoded = Buffer.from(authorization.slice(SCHEME.length), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OqsError("E8700");
  return { office: decoded.slice(0, colon), credential: decoded.slice(colon + 1) };
}

const ticketSchema = {
  type: "object",
  properties: {
    issueNumber: { type: "string", description: "交付番号" },
    recipientNumber: { type: "string", description: "受給者番号" },
    facilityCode: { type: "string", description: "医療機関コード (指定医療機関)" },
    ticketType: { type: "string", description: "券種 (医療券・調剤券)" },
    treatmentType: { type: "string", description: "診療別 (入院・入院外・歯科・調剤)" },
    treatmentMonth: { type: "string", description: "診療年月 YYYYMM" },
    validFrom: { type: "string", description: "有効期間の初日 (受診日) YYYY-MM-DD" },
    validTo: { type: "string", description: "有効期間の末日 (診療年月の末日) YYYY-MM-DD" },
    selfPayAmount: { type: "integer", description: "本人支払額 (円)" },
    injuryNames: { type: "array", items: { type: "string" }, description: "傷病名" },
  },
} as const;

export async function registerWelfareRoutes(app: FastifyInstance, deps: { db: Db; now: () => Date }): Promise<void> {
  const throttle = new LoginThrottle(deps.now);
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    scope.post(
      WELFARE_PATHS.medicalTickets,
      {
        bodyLimit: BODY_LIMIT_BYTES,
        onRequest: async (request, reply) => {
          try {
            const { office, credential } = basicCredentials(request.headers.authorization);
            const lockedFor = throttle.attempt(office, request.ip);
            if (lockedFor !== undefined) {
              reply.header("retry-after", String(lockedFor));
              throw new OqsError("E8701");
            }
            let authenticated;
            try {
              authenticated = await authenticateWelfareOffice(deps.db, office, credential);
            } catch (error) {
              // Not the caller's failure: no count towards a lockout.
              if (isDatabaseUnavailable(error)) throttle.withdrawn(office, request.ip);
              throw error;
            }
            if (!authenticated) throw new OqsError("E8700");
            throttle.succeeded(office, request.ip);
            offices.set(request, office);
            noteAnswer(reply, { facility: office });
          } catch (error) {
            // The unread body is not received.
            reply.header("connection", "close");
            throw error;
          }
        },
        schema: {
          tags: ["医療扶助"],
          summary: "医療扶助: 福祉事務所が医療券・調剤券を登録する",
          description:
            "Authorization: Basic <公費負担者番号:認証情報 の base64> (認証情報は onshi welfare credential で発行)。" +
            "受給者番号 (7桁、検証番号付き) の受給者に、医療機関コードの医療機関の医療券 (薬局は調剤券) を、受診日の診療年月の分として登録する。" +
            "受診日は登録日 (日本時間) の3〜30日後 (E8708, E8709)。同じ医療機関・診療年月の医療券は1枚 (E8710)。" +
            "他の福祉事務所の受給者は「受給者が見つからない」と同じ応答 (E8704)。onshi 独自のパス。",
          security: [{ welfareOffice: [] }],
          body: {
            type: "object",
            properties: {
              recipientNumber: { type: "string", description: "受給者番号 (7桁)" },
              facilityCode: { type: "string", description: "医療機関コード (10桁)" },
              visitDate: { type: "string", description: "受診日 YYYY-MM-DD" },
              treatmentType: { type: "string", enum: ["inpatient", "outpatient", "dental", "dispensing"], description: "診療別 (省略時: 医療機関の種別による)" },
              injuryNames: { type: "array", items: { type: "string" }, maxItems: 3, description: "傷病名 (3つまで)" },
              selfPayAmount: { type: "integer", description: "本人支払額 (円, 省略時 0)" },
            },
          },
          response: { 200: ticketSchema, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 413: errorBodySchema, 415: errorBodySchema, 422: errorBodySchema, 429: errorBodySchema },
        },
        // The body is read by readTicketRequest, whose codes name the field (E8711–E8714).
        attachValidation: true,
      },
      async (request, reply) => {
        return issueMedicalTicket(deps.db, offices.get(request)!, readTicketRequest(request.body), deps.now());
      },
    );
  });
}
