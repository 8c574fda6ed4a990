// What the office's routes share about a case: its id from the path, the Idempotency-Key header,
// and the case as the pages show it (its state's label beside the state).
import type { FastifyRequest } from "fastify";
import { OqsError } from "../../../errors/catalogue.ts";
import type { SubsidyCase } from "../../../services/subsidy-office.ts";
import { CASE_STATE_LABELS } from "../../../subsidy/case-states.ts";

/** The path's case id; anything but a positive whole number is no case (E9500). */
export function caseIdOf(request: FastifyRequest): number {
  const raw = (request.params as { caseId: string }).caseId;
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (id < 1) throw new OqsError("E9500");
  return id;
}

/** The Idempotency-Key header as sent (the cases' idempotent() checks it: E9507). */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers["idempotency-key"];
  return typeof key === "string" ? key : undefined;
}

export const caseView = (c: SubsidyCase) => ({ ...c, stateLabel: CASE_STATE_LABELS[c.state] });
