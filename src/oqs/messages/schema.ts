// How a message kind is declared: a TypeBox schema whose leaves carry, beside their JSON Schema
// (type, lengths, pattern, code values, the checks JSON Schema cannot say), the protocol's code
// for each kind of violation. From one declaration come the TypeScript type (Static<>), the JSON
// Schema for OpenAPI, the element order and the repeated elements, and a check compiled once by
// Ajv whose failures map to the coded problems a client is answered with.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { isValidYyyymmdd } from "../../domain/dates.ts";
import { facilityCodeProblem } from "../../domain/facility-code.ts";
import { parseInsurerNumber } from "../../domain/insurer-number.ts";
import { referenceNumberProblem } from "../../domain/reference-number.ts";
import type { ErrorCode } from "../../errors/catalogue.ts";

/** What can be wrong with an element; each leaf says which code each one gets. */
export type Violation = "missing" | "structure" | "length" | "characters" | "prefecture" | "checkDigit" | "date" | "value";

/** The codes of a leaf, by violation; `structure` is E1004 where a leaf does not say. */
export type Codes = Partial<Record<Violation, ErrorCode>>;

/** What is wrong with a request, as the answer reports it. */
export interface Problem {
  code: ErrorCode;
  /** The element at fault (its name, or a dotted path when the caller needs one). */
  element?: string;
  /** The offending value, when there is one. */
  value?: string;
}

/** A problem with where it is: the element names from the checked node down (rows by index). */
export interface LocatedProblem extends Problem {
  path: (string | number)[];
}

const CODES = "x-codes";
const CHECK = "x-check";
/**
 * Marks a node answered on its own (a person's search key, a registration): the message's check
 * stops at it, asking only that it be an element with children ("parent") or nothing ("rows":
 * a bulk upload's rows are checked when the worker answers them).
 */
export const OWN_ANSWER = "x-own-answer";
export type OwnAnswerMode = "parent" | "rows";

/** The checks JSON Schema cannot say, by name; each returns the violation or undefined. */
const CHECKS = {
  yyyymmdd: (value: string): Violation | undefined => (isValidYyyymmdd(value) ? undefined : "date"),
  yyyymm: (value: string): Violation | undefined => (isValidYyyymmdd(`${value}01`) && value.length === 6 ? undefined : "date"),
  facilityCode: (value: string): Violation | undefined => {
    const problem = facilityCodeProblem(value);
    return problem === "digits" ? "characters" : problem;
  },
  insurerNumber: (value: string): Violation | undefined => {
    const parsed = parseInsurerNumber(value);
    return parsed.ok ? undefined : parsed.problem === "digits" ? "characters" : parsed.problem;
  },
  // Digits first: "x" is reported as not digits rather than as short.
  receptionNumber: (value: string): Violation | undefined => (!/^[0-9]*$/.test(value) ? "characters" : value.length !== 20 ? "length" : undefined),
  referenceNumber: (value: string): Violation | undefined => {
    const problem = referenceNumberProblem(value);
    return problem === "length" ? "length" : problem && "characters";
  },
} as const;
export type CheckName = keyof typeof CHECKS;

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
ajv.addVocabulary([CODES, OWN_ANSWER, "example"]);
ajv.addKeyword({
  keyword: CHECK,
  type: "string",
  schemaType: "string",
  errors: true,
  validate: function check(name: CheckName, value: string): boolean {
    const violation = CHECKS[name](value);
    if (violation === undefined) return true;
    (check as unknown as { errors: Partial<ErrorObject>[] }).errors = [{ keyword: CHECK, params: { violation } }];
    return false;
  },
});

export interface LeafOptions extends SchemaOptions {
  description: string;
  example?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  check?: CheckName;
}

/** A text element. */
export function text(codes: Codes, { check, ...options }: LeafOptions) {
  return Type.String({ ...options, ...(check ? { [CHECK]: check } : {}), [CODES]: codes });
}

/** A text element holding one of `values` (a code table). */
export function code<const V extends readonly string[]>(values: V, codes: Codes, options: LeafOptions) {
  return Type.Unsafe<V[number]>({ type: "string", enum: [...values], ...options, [CODES]: codes });
}

/** The codes of a parent element, for when it is missing or not a parent. */
export function withCodes<T extends TSchema>(schema: T, codes: Codes): T {
  return { ...schema, [CODES]: codes };
}

/**
 * A node answered on its own; see OWN_ANSWER. Its JSON Schema stays whole (OpenAPI shows it), but
 * its type is unknown: the message's check has not looked inside, its own check will.
 */
export function ownAnswer(schema: TSchema, mode: "parent", codes?: Codes): TUnsafe<Record<string, unknown>>;
export function ownAnswer(schema: TSchema, mode: "rows", codes?: Codes): TUnsafe<unknown>;
export function ownAnswer(schema: TSchema, mode: OwnAnswerMode, codes: Codes = {}): TUnsafe<unknown> {
  return Type.Unsafe({ ...schema, [OWN_ANSWER]: mode, [CODES]: codes });
}

/**
 * One schema compiled once. `check` reports every problem, at most one per element (the first of
 * VIOLATION_ORDER), in element order; nodes marked OWN_ANSWER are checked only as parents.
 */
export interface CompiledSchema<T extends TSchema> {
  schema: T;
  /** The value as its type, or every problem it has. */
  parse(value: unknown): { ok: true; value: Static<T> } | { ok: false; problems: LocatedProblem[] };
  check(value: unknown): LocatedProblem[];
}

export function compile<T extends TSchema>(schema: T): CompiledSchema<T> {
  const shallow = stopAtOwnAnswers(schema) as TSchema;
  const validate: ValidateFunction<Static<T>> = ajv.compile<Static<T>>(shallow);
  const parse = (value: unknown) => (validate(value) ? ({ ok: true, value } as const) : ({ ok: false, problems: problemsOf(shallow, validate, value) } as const));
  return {
    schema,
    parse,
    check(value) {
      const parsed = parse(value);
      return parsed.ok ? [] : parsed.problems;
    },
  };
}

function stopAtOwnAnswers(schema: unknown, top = true): unknown {
  if (typeof schema !== "object" || schema === null) return schema;
  if (Array.isArray(schema)) return schema.map((each) => stopAtOwnAnswers(each, false));
  const node = schema as Record<string, unknown>;
  const mode = node[OWN_ANSWER] as OwnAnswerMode | undefined;
  if (!top && mode) return { ...(mode === "parent" ? { type: "object" } : {}), [CODES]: node[CODES] };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = typeof value === "object" ? stopAtOwnAnswers(value, false) : value;
  return out;
}

const VIOLATION_ORDER: Violation[] = ["missing", "structure", "length", "characters", "prefecture", "checkDigit", "date", "value"];

const KEYWORD_VIOLATIONS: Record<string, Violation> = {
  required: "missing",
  minItems: "missing",
  type: "structure",
  minLength: "length",
  maxLength: "length",
  pattern: "characters",
  enum: "value",
};

interface Found {
  violation: Violation;
  schema: Record<string, unknown>;
  path: (string | number)[];
  order: number[];
  value: unknown;
}

function problemsOf(root: TSchema, validate: ValidateFunction, data: unknown): LocatedProblem[] {
  const byElement = new Map<string, Found>();
  for (const error of validate.errors ?? []) {
    const found = locate(root, error, data);
    if (found === undefined) continue;
    const key = found.path.join("\u0000");
    const before = byElement.get(key);
    if (!before || VIOLATION_ORDER.indexOf(found.violation) < VIOLATION_ORDER.indexOf(before.violation)) byElement.set(key, found);
  }
  return [...byElement.values()]
    .sort((a, b) => compareOrder(a.order, b.order))
    .map(({ violation, schema, path, value }) => {
      const codes = (schema[CODES] ?? {}) as Codes;
      const code = codes[violation] ?? (violation === "missing" ? "E1005" : "E1004");
      const name = path.findLast((step) => typeof step === "string");
      return { code, ...(name !== undefined ? { element: name } : {}), ...(typeof value === "string" && value !== "" ? { value } : {}), path };
    });
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The element an Ajv error is about, its schema and value, and its place in element order. */
function locate(root: TSchema, error: ErrorObject, data: unknown): Found | undefined {
  const keyword = error.keyword;
  let violation: Violation | undefined = keyword === CHECK ? (error.params as { violation: Violation }).violation : KEYWORD_VIOLATIONS[keyword];
  if (violation === undefined) return undefined;
  const path: (string | number)[] = [];
  const order: number[] = [];
  let schema = root as Record<string, unknown>;
  let parent: Record<string, unknown> | undefined;
  let value = data;
  const steps = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (keyword === "required") steps.push((error.params as { missingProperty: string }).missingProperty);
  for (const step of steps) {
    parent = schema;
    const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
    if (schema.type === "array") {
      const index = Number(step);
      path.push(index);
      order.push(index);
      schema = schema.items as Record<string, unknown>;
    } else if (properties && step in properties) {
      path.push(step);
      order.push(Object.keys(properties).indexOf(step));
      schema = properties[step]!;
    } else {
      path.push(step);
      order.push(Object.keys(properties ?? {}).length + Object.keys((value as object) ?? {}).indexOf(step));
      schema = (typeof schema.additionalProperties === "object" ? schema.additionalProperties : {}) as Record<string, unknown>;
    }
    value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  }
  // An empty element is an absent one, as on the wire (<Birthdate/>): fine where it is optional.
  if (path.length > 0 && (value === "" || (Array.isArray(value) && value.length === 0))) {
    const required = (parent?.required ?? []) as string[];
    if (keyword !== "required" && !required.includes(String(path.at(-1)))) return undefined;
    violation = "missing";
  }
  return { violation, schema, path, order, value };
}

/** The element names, in order, of an object schema's properties. */
export function elementOrder(schema: TSchema): string[] {
  return Object.keys((schema as { properties?: object }).properties ?? {});
}
