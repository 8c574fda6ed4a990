// A small client of onshi's card-reader HTTP contract (docs/card-reader.md): what a reader
// device and its card do, one call per route. `onshi reader tap` and the card-check benchmark
// drive the same flow through it; the transport is swappable so the benchmark can use a lean
// keep-alive client.
import { ERROR_CODES, type ErrorCode } from "../oqs/error-codes.ts";

export const AUTH_PATH = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";

export type CheckMethod = "pin" | "face" | "visual";

/** What the card (via the simulator) hands the reader, passed on unchanged to verify. */
export interface CardAnswer {
  nonce: string;
  method: CheckMethod;
  certificate: string;
  signature: string;
  reader?: { certificate: string; signature: string };
}

export interface Holder {
  name: string;
  birthdate: string;
}

export interface OfferedConsent {
  category: string;
  label: string;
  default: boolean;
}

export interface Verified {
  session: string;
  expiresAt: string;
  method: CheckMethod;
  registered: boolean;
  scope: "full" | "qualification-only";
  warning?: { code: string; message: string };
  holder: Holder;
  consent: { offered: OfferedConsent[]; prescription: boolean };
}

/** One line of the 利用者リスト. */
export interface CardUser {
  sequence: number;
  checkedAt: string;
  method: CheckMethod;
  name: string;
  kanaName?: string;
  birthdate: string;
  sex: string | number;
  insurerNumber: string;
  insuredCardSymbol?: string;
  insuredIdentificationNumber: string;
  insuredBranchNumber?: string;
  qualificationValidity: string;
  consent: Record<string, boolean>;
  prescriptionIssueSelect?: string;
  warning?: { code: string; message: string } | string;
  faceFile: string;
  referenceNumber?: string;
}

export interface Completed {
  faceFile: string;
  result: unknown;
  user: CardUser;
}

export type IdentityCheck = { method: "pin"; pin: string } | { method: "face"; matched: boolean } | { method: "visual" };

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

/** The server could not be reached, or answered something that is not the contract. */
export class ReaderUnavailable extends Error {}

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
    const { answer } = await this.call<{ answer: CardAnswer }>("POST", `/onshi-api/simulator/cards/${encodeURIComponent(cardId)}/answer`, body);
    return answer;
  }

  verify(answer: CardAnswer): Promise<Verified> {
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
  if (typeof code !== "string") return new ReaderUnavailable(`想定外の応答です (HTTP ${response.status}): ${url}`);
  const message = b.message ?? b.msg ?? header?.ErrorMessage ?? ERROR_CODES[code as ErrorCode]?.ja ?? "";
  return new ReaderRefusal(code, String(message), response.status, typeof b.remaining === "number" ? b.remaining : undefined);
}
