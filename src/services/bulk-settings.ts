// Settings of the two-phase bulk messages (一括照会, 照会番号一括登録). The real system's limits
// are not public (spec §2 "Not found"), so these are ours, each with a documented default and an
// environment variable to change it (README「一括照会」).

export interface BulkSettings {
  /** Rows accepted in one upload file; a larger file is refused whole (E5004). */
  rowLimit: number;
  /** Days a reception's results are kept after the upload; later downloads get E5002. */
  retentionDays: number;
  /** A download result with more rows than this is offered zipped (file route); 0 = never. */
  zipThreshold: number;
  /** Seconds a reception answers 処理中 at least, for vendors who want to see SegmentOfResult 2. */
  processingDelaySeconds: number;
  /** Rows the worker looks up and stores per transaction. */
  chunkSize: number;
}

export const DEFAULT_BULK_SETTINGS: BulkSettings = {
  rowLimit: 100_000,
  retentionDays: 7,
  zipThreshold: 10_000,
  processingDelaySeconds: 0,
  chunkSize: 1_000,
};

const VARIABLES: Record<keyof BulkSettings, { name: string; min: number }> = {
  rowLimit: { name: "ONSHI_BULK_ROW_LIMIT", min: 1 },
  retentionDays: { name: "ONSHI_BULK_RETENTION_DAYS", min: 1 },
  zipThreshold: { name: "ONSHI_BULK_ZIP_THRESHOLD", min: 0 },
  processingDelaySeconds: { name: "ONSHI_BULK_DELAY_SECONDS", min: 0 },
  chunkSize: { name: "ONSHI_BULK_CHUNK_SIZE", min: 1 },
};

/** The settings from the environment over the defaults; throws (in Japanese) on a bad value. */
export function bulkSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BulkSettings {
  const settings = { ...DEFAULT_BULK_SETTINGS };
  for (const [key, { name, min }] of Object.entries(VARIABLES) as [keyof BulkSettings, { name: string; min: number }][]) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} が不正です: ${raw} (${min} 以上の整数)`);
    settings[key] = value;
  }
  return settings;
}
