// The two-phase bulk messages (spec §2), whatever their rows hold: an upload (…01req) is checked
// and stored as a reception whose rows the background worker (bulk-worker.ts) answers; the
// answer (…01res) is its ReceptionNumber; a download (…02req) answers 処理中 (SegmentOfResult 2)
// until the worker is done, then the counts and one unit per row in input order. Each kind
// (一括照会 in bulk-check.ts, 照会番号一括登録 in bulk-registration.ts) says what its rows are
// through a ReceptionSpec.
import { jstTimestamp } from "../domain/dates.ts";
import { OqsError } from "../errors/catalogue.ts";
import { compact, type XmlTree } from "../oqs/message-tree.ts";
import type { DownloadRequest } from "../oqs/messages/bulk-check.ts";
import type { LocatedProblem } from "../oqs/messages/schema.ts";
import { Segment, message, responseHeader } from "../oqs/response-builder.ts";
import { createReception, findReception, storedRows, type Reception, type ReceptionKind, type ReceptionSource, type StoredRow } from "../store/reception-store.ts";
import { bulkSettingsFromEnv, type BulkSettings } from "./bulk-settings.ts";
import type { HandlerResult, KindHandler, OqsContext } from "./pipeline/types.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What one kind of two-phase message carries. */
export interface ReceptionSpec {
  kind: ReceptionKind;
  /** The repeated element of the upload's body, one per row, echoed first in each result unit. */
  rowElement: string;
  /** The element of the download's body holding one row's result. */
  unitElement: string;
  /** A row's problems, paths relative to the row (none: the row itself). */
  rowProblems(row: unknown): LocatedProblem[];
  /**
   * The units a stored row is answered with, each beginning with the row's own request element;
   * one per row where absent. A search that lists persons (OQSmuonq, OQSmuhvq) has one per person.
   */
  unitsOf?(row: StoredRow): XmlTree[];
}

const oneUnit = (spec: ReceptionSpec, row: StoredRow): XmlTree[] => [{ [spec.rowElement]: row.request, ...row.result } as XmlTree];

/** An upload as its schema checked it: the header, and rows under the spec's rowElement. */
export interface UploadRequest {
  XmlMsg: {
    MessageHeader: { MedicalInstitutionCode: string; QualificationConfirmationDate?: string; ArbitraryFileIdentifier?: string };
    MessageBody: Record<string, unknown[]>;
  };
}

/** The settings in force: the context's, else the environment's. */
function settingsOf(ctx: OqsContext): BulkSettings {
  return ctx.bulk ?? bulkSettingsFromEnv();
}

/** The rows of a checked upload; E5004 past the row limit. */
function uploadRows(spec: ReceptionSpec, request: UploadRequest, settings: Pick<BulkSettings, "rowLimit">): (XmlTree | string)[] {
  const rows = request.XmlMsg.MessageBody[spec.rowElement]!;
  if (rows.length > settings.rowLimit) throw new OqsError("E5004", spec.rowElement);
  return rows as (XmlTree | string)[];
}
/** The upload's answer (…01res): ReceptionNumber and ReceptionDateTime. */
export function receptionMessage(ctx: OqsContext, now: Date, reception: Reception): XmlTree {
  const head = responseHeader({
    now,
    characterCode: ctx.characterCode,
    segment: Segment.Normal,
    facilityCode: reception.facilityCode,
    arbitraryFileIdentifier: reception.arbitraryFileIdentifier ?? undefined,
  });
  return message(head, { ReceptionNumber: reception.receptionNumber, ReceptionDateTime: jstTimestamp(reception.receivedAt) });
}

/** Stores an upload of `kind` as a reception, with the retention and delay of the settings. */
export function receive(
  ctx: OqsContext,
  now: Date,
  upload: {
    kind: ReceptionKind;
    facilityCode: string;
    confirmationDate?: string;
    arbitraryFileIdentifier?: string;
    rows: (XmlTree | string)[];
    source?: ReceptionSource;
  },
): Promise<Reception> {
  const settings = settingsOf(ctx);
  return createReception(ctx.db, {
    ...upload,
    receivedAt: now,
    readyAt: new Date(now.getTime() + settings.processingDelaySeconds * 1000),
    expiresAt: new Date(now.getTime() + settings.retentionDays * DAY_MS),
  });
}

/**
 * An upload (…01req): checks the row count, stores the rows, answers the ReceptionNumber; the
 * same request file read again answers the reception it already made.
 */
export function uploadHandler(spec: ReceptionSpec): KindHandler<UploadRequest> {
  return {
    async answer(request, { ctx, caller, now }) {
      const header = request.XmlMsg.MessageHeader;
      const rows = uploadRows(spec, request, settingsOf(ctx));
      const reception = await receive(ctx, now, {
        kind: spec.kind,
        facilityCode: header.MedicalInstitutionCode,
        confirmationDate: header.QualificationConfirmationDate || undefined,
        arbitraryFileIdentifier: header.ArbitraryFileIdentifier || undefined,
        rows,
        source: caller.source,
      });
      return { message: receptionMessage(ctx, now, reception) };
    },
    partProblems(request) {
      const rows = request.XmlMsg.MessageBody[spec.rowElement]!;
      const at = ["MessageBody", spec.rowElement];
      try {
        uploadRows(spec, request, bulkSettingsFromEnv());
      } catch (error) {
        if (!(error instanceof OqsError)) throw error;
        return [{ code: error.code, element: spec.rowElement, value: `${rows.length}件`, path: at }];
      }
      return rows.flatMap((row, i) => spec.rowProblems(row).map((p) => ({ ...p, path: [...at, i, ...p.path] })));
    },
  };
}

/**
 * The reception a download (…02req) names, for its facility; throws E5001, E5002, E5005. A reception
 * past its retention period is refused even before the worker has deleted its rows.
 */
export async function requestedReception(ctx: OqsContext, now: Date, request: DownloadRequest, kind: ReceptionKind): Promise<Reception> {
  const facilityCode = request.XmlMsg.MessageHeader.MedicalInstitutionCode;
  const reception = await findReception(ctx.db, request.XmlMsg.MessageBody.ReceptionNumber);
  // Another facility's number is answered as an unknown one: no facility learns which numbers exist.
  if (reception === undefined || reception.facilityCode !== facilityCode) throw new OqsError("E5001", "ReceptionNumber");
  if (reception.kind !== kind) throw new OqsError("E5005", "ReceptionNumber");
  if (reception.expired || reception.expiresAt <= now) throw new OqsError("E5002", "ReceptionNumber");
  return reception;
}

/** Whether the download must still answer 処理中. */
export function stillProcessing(reception: Reception, now: Date): boolean {
  return reception.finishedAt === null || reception.readyAt > now;
}

/** The download's header (…02res), in the real element order, with the counts once done. */
export function downloadHeader(
  ctx: OqsContext,
  now: Date,
  reception: Reception,
  counts?: { total: number; normal: number; errors: number },
): XmlTree {
  return compact({
    ProcessExecutionTime: jstTimestamp(now),
    QualificationConfirmationDate: reception.confirmationDate ?? undefined,
    MedicalInstitutionCode: reception.facilityCode,
    ArbitraryFileIdentifier: reception.arbitraryFileIdentifier ?? undefined,
    ReceptionNumber: reception.receptionNumber,
    SegmentOfResult: counts ? Segment.Normal : Segment.Processing,
    NumberOfProcessingResult: counts && String(counts.total),
    NumberOfNormalProcessing: counts && String(counts.normal),
    NumberOfError: counts && String(counts.errors),
    CharacterCodeIdentifier: ctx.characterCode,
  });
}

/**
 * The finished download of a reception: the header counts (of units) and the units of each row in
 * input order, the row's own request element first; zipped above the settings' threshold.
 */
export async function downloadAnswer(spec: ReceptionSpec, ctx: OqsContext, now: Date, reception: Reception): Promise<HandlerResult> {
  const rows = await storedRows(ctx.db, reception.receptionNumber);
  const unitsOf = spec.unitsOf ?? ((row: StoredRow) => oneUnit(spec, row));
  const units: XmlTree[] = [];
  let errors = 0;
  for (const row of rows) {
    const own = unitsOf(row);
    units.push(...own);
    if (row.status === 2) errors += own.length;
  }
  const header = downloadHeader(ctx, now, reception, { total: units.length, normal: units.length - errors, errors });
  const threshold = settingsOf(ctx).zipThreshold;
  return { message: message(header, units.length > 0 ? { [spec.unitElement]: units } : {}), zip: threshold > 0 && units.length > threshold };
}

/** A download (…02req): 処理中 until the worker is done, then the results. */
export function downloadHandler(spec: ReceptionSpec): KindHandler<DownloadRequest> {
  return {
    async answer(request, { ctx, now }) {
      const reception = await requestedReception(ctx, now, request, spec.kind);
      if (stillProcessing(reception, now)) return { message: message(downloadHeader(ctx, now, reception), {}) };
      return downloadAnswer(spec, ctx, now, reception);
    },
  };
}
