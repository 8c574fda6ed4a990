// `npm run bench`: runs each benchmark and writes its figures, with the baseline of the same
// run and the ratio, to bench/results/<name>.json.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { benchAuditVerify } from "./audit-verify.ts";
import { benchBulkCheck } from "./bulk-check.ts";
import { benchCardCheck } from "./card-check.ts";
import { benchFolderLatency } from "./folder-latency.ts";
import { benchMedicalInfo } from "./medical-info.ts";
import { benchOfficeBatch } from "./office-batch.ts";
import { benchOfficeExaminers } from "./office-examiners.ts";
import { benchPmhCardCheck } from "./pmh-card-check.ts";
import { benchPmhUpload } from "./pmh-upload.ts";
import { benchQualificationCheck } from "./qualification-check.ts";
import { benchSubsidyAllFacilities } from "./subsidy-all-facilities.ts";
import { benchSubsidyCalc } from "./subsidy-calc.ts";
import { benchUsageRates } from "./usage-rates.ts";
import { benchUsageRecording } from "./usage-recording.ts";

const suites = { "qualification-check": benchQualificationCheck, "folder-latency": benchFolderLatency, "bulk-check": benchBulkCheck, "card-check": benchCardCheck, "subsidy-calc": benchSubsidyCalc, "subsidy-all-facilities": benchSubsidyAllFacilities, "medical-info": benchMedicalInfo, "audit-verify": benchAuditVerify, "pmh-card-check": benchPmhCardCheck, "pmh-upload": benchPmhUpload, "usage-rates": benchUsageRates, "usage-recording": benchUsageRecording, "office-batch": benchOfficeBatch, "office-examiners": benchOfficeExaminers };
const only = process.argv.slice(2);

await mkdir(new URL("./results/", import.meta.url), { recursive: true });
for (const [name, suite] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.error(`bench: ${name} …`);
  const result = {
    ...(await suite()),
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  };
  await writeFile(new URL(`./results/${name}.json`, import.meta.url), JSON.stringify(result, null, 2) + "\n");
  console.log(JSON.stringify(result, null, 2));
}
