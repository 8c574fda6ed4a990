// A small client of onshi's card-reader HTTP contract (docs/card-reader.md): what a reader
// device and its card do, one call per route. `onshi reader tap` and the card-check benchmark
// drive the same flow through it; the transport is swappable so the benchmark can use a lean
// keep-alive client.
import type { CardAnswer, IdentityCheck } from "../card/answer.ts";
import { ERROR_CODES, type ErrorCode } from "../errors/catalogue.ts";
import type { CompleteOutcome, VerifyOutcome } from "../services/card-reader.ts";
import type { Holder } from "../store/card-store.ts";

export const AUTH_PATH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";

// The wire types are the server's own; type-only imports, so no server code runs in the client.
export type { CardAnswer, CheckMethod, IdentityCheck } from "../card/answer.ts";
export type { Holder } from "../store/card-store.ts";
export type { VerifyOutcome as Verified } from "../services/card-reader.ts";
export type { CardUserEntry as CardUser } from "../store/card-user-store.ts";

/** The completion's answer, its result (the face result as an XmlMsg tree) passed on as it came. */
export type Completed = Omit<CompleteOutcome, "result"> & { result: unknown };

/** The server said no: its code, Japanese message and, for a wrong PIN or face, the tries left. */
export class ReaderRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly remaining?: number,
  ) {
    super(message);
  }
}

/** The server could not be reached, or answered something that is not the contract (with its HTTP status, if any). */
export class ReaderUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** Sends one JSON request; rejects only when there is no HTTP answer at all. */
export type Transport = (method: "GET" | "POST", url: string, body: unknown, headers: Record<string, string>) => Promise<HttpResponse>;

export const fetchTransport: Transport = async (method, url, body, headers) => {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: refusalOf says the answer was not JSON.
  }
  return { status: response.status, body: parsed };
};

export class ReaderClient {
  private constructor(
    readonly baseUrl: string,
    readonly idToken: string,
    private readonly transport: Transport,
  ) {}

  /** Authenticates the facility (the WebAPI auth route) and returns a client acting as its reader. */
  static async login(baseUrl: string, facilityCode: string, credential: string, transport: Transport = fetchTransport): Promise<ReaderClient> {
    const base = baseUrl.replace(/\/+$/, "");
    const body = await send(transport, "POST", `${base}${AUTH_PATH}`, { MedicalInstitutionCode: facilityCode, Credential: credential }, {});
    const token = (body as { result?: { idToken?: unknown } }).result?.idToken;
    if (typeof token !== "string") throw new ReaderUnavailable(`認証の応答に idToken がありません: ${base}${AUTH_PATH}`);
    return new ReaderClient(base, token, transport);
  }

  private call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    return send(this.transport, method, `${this.baseUrl}${path}`, body, { authorization: this.idToken }) as Promise<T>;
  }

  challenge(): Promise<{ nonce: string; expiresAt: string }> {
    return this.call("POST", "/onshi-api/reader/challenge", {});
  }

  /** The card simulator: the chip checks the PIN (or takes the reader's face result) and signs. */
  async answer(cardId: string, nonce: string, check: IdentityCheck): Promise<CardAnswer> {
    const body = {
      nonce,
      method: check.method,
      ...(check.method === "pin" ? { pin: check.pin } : {}),
      ...(check.method === "face" ? { faceMatched: check.matched } : {}),
    };
    const path = `/onshi-api/simulator/cards/${encodeURIComponent(cardId)}/answer`;
    try {
      return (await this.call<{ answer: CardAnswer }>("POST", path, body)).answer;
    } catch (error) {
      // No such route: the server runs without the simulator (a development tool).
      if (error instanceof ReaderUnavailable && error.status === 404) {
        throw new ReaderUnavailable(`カードのシミュレータが無効です。サーバを onshi serve --demo または --simulator で起動してください: ${this.baseUrl}${path}`, 404);
      }
      throw error;
    }
  }

  verify(answer: CardAnswer): Promise<VerifyOutcome> {
    return this.call("POST", "/onshi-api/reader/verify", { answer });
  }

  register(session: string): Promise<{ registered: true; holder: Holder }> {
    return this.call("POST", "/onshi-api/reader/registration", { session });
  }

  complete(session: string, consent: Record<string, boolean>, prescriptionIssueSelect?: "1" | "2"): Promise<Completed> {
    return this.call("POST", "/onshi-api/reader/complete", { session, consent, ...(prescriptionIssueSelect ? { prescriptionIssueSelect } : {}) });
  }
}

async function send(transport: Transport, method: "GET" | "POST", url: string, body: unknown, headers: Record<string, string>): Promise<unknown> {
  let response: HttpResponse;
  try {
    response = await transport(method, url, body, headers);
  } catch (error) {
    throw new ReaderUnavailable(`サーバに接続できません: ${url} (${(error as Error).message})`);
  }
  if (response.status >= 200 && response.status < 300 && typeof response.body === "object" && response.body !== null) return response.body;
  throw refusalOf(response, url);
}

/**
 * The code and message of a refusal, from the reader routes' problem body ({code, message,
 * remaining}), the auth route's ({errorCode, msg}) or a WebAPI message header.
 */
export function refusalOf(response: HttpResponse, url: string): ReaderRefusal | ReaderUnavailable {
  const b = (typeof response.body === "object" && response.body !== null ? response.body : {}) as Record<string, any>;
  const header = b.XmlMsg?.MessageHeader;
  const code = b.code ?? b.errorCode ?? header?.ErrorCode;
  if (typeof code !== "string") return new ReaderUnavailable(`想定外の応答です (HTTP ${response.status}): ${url}`, response.status);
  const message = b.message ?? b.msg ?? header?.ErrorMessage ?? ERROR_CODES[code as ErrorCode]?.ja ?? "";
  return new ReaderRefusal(code, String(message), response.status, typeof b.remaining === "number" ? b.remaining : undefined);
}
