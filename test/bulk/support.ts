// Shared pieces of the 一括照会 tests: a context on a fixture database and message builders.
import type { Db } from "../../src/db/client.ts";
import { DEFAULT_BULK_SETTINGS, type BulkSettings } from "../../src/services/bulk-settings.ts";
import { BulkWorker } from "../../src/services/bulk-worker.ts";
import type { XmlTree } from "../../src/oqs/message-tree.ts";
import type { OqsContext } from "../../src/services/pipeline/types.ts";
import { FacilityDirectory } from "../../src/store/facility-directory.ts";
import { FACILITY, TARO } from "../support/fixture.ts";

export const NOW = new Date("2026-04-01T00:30:00Z"); // 09:30 in Japan

export interface Harness {
  ctx: OqsContext;
  /** Moves the clock. */
  setNow(at: Date): void;
  worker(settings?: Partial<BulkSettings>): BulkWorker;
}

export function harness(db: Db, settings: Partial<BulkSettings> = {}): Harness {
  let clock = NOW;
  const bulk = { ...DEFAULT_BULK_SETTINGS, ...settings };
  const now = () => clock;
  return {
    ctx: { db, facilities: new FacilityDirectory(db), now, characterCode: "0", bulk },
    setNow: (at) => (clock = at),
    worker: (more = {}) => new BulkWorker({ db, now, settings: { ...bulk, ...more }, expiryCheckMs: 0 }),
  };
}

/** Runs the worker's steps until there is nothing left to do. */
export async function drain(worker: BulkWorker): Promise<void> {
  while (await worker.step());
}

/** A search key row: TARO's key with overrides (a value of undefined drops the element). */
export function key(overrides: Record<string, string | undefined> = {}): XmlTree {
  const row: Record<string, string | undefined> = { ...TARO, LimitApplicationCertificateRelatedConsFlg: "0", ...overrides };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as XmlTree;
}

export function upload(rows: XmlTree[], facility = FACILITY.code, header: Record<string, string> = {}): XmlTree {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: "20260401", MedicalInstitutionCode: facility, ...header },
      MessageBody: { QualificationConfirmSearchInfo: rows },
    },
  };
}

export function download(receptionNumber: string, facility = FACILITY.code): XmlTree {
  return { XmlMsg: { MessageHeader: { MedicalInstitutionCode: facility }, MessageBody: { ReceptionNumber: receptionNumber } } };
}

export function header(message: XmlTree): XmlTree {
  return (message.XmlMsg as XmlTree).MessageHeader as XmlTree;
}

export function body(message: XmlTree): XmlTree {
  return (message.XmlMsg as XmlTree).MessageBody as XmlTree;
}
