// The OQS root and the folders inside it, as the real terminal lays them out (spec §0): clients
// write requests to `req`, read answers from `res` and card-reader results from `face`. `error`
// is onshi's own: requests it could not read are moved there, with the reason beside them.
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_DATA_DIR, OQS_FOLDER } from "../config.ts";

export interface OqsFolders {
  root: string;
  req: string;
  res: string;
  face: string;
  error: string;
}

export function oqsFolders(root: string): OqsFolders {
  const abs = resolve(root);
  return { root: abs, req: join(abs, "req"), res: join(abs, "res"), face: join(abs, "face"), error: join(abs, "error") };
}

export async function createOqsFolders(root: string): Promise<OqsFolders> {
  const folders = oqsFolders(root);
  for (const dir of [folders.req, folders.res, folders.face, folders.error]) await mkdir(dir, { recursive: true });
  return folders;
}

/**
 * `--oqs-root` (or ONSHI_OQS_ROOT) when given; otherwise `<data folder>/oqs`, or with `--memory`,
 * where nothing is kept, a fresh temporary folder (so two such servers never take each other's
 * files). `temporary` tells the banner to say so.
 */
export async function chooseOqsRoot(flags: { oqsRoot?: string; dataDir?: string; memory?: boolean }): Promise<{ root: string; temporary: boolean }> {
  if (flags.oqsRoot) return { root: resolve(flags.oqsRoot), temporary: false };
  if (flags.memory) return { root: await mkdtemp(join(tmpdir(), "onshi-oqs-")), temporary: true };
  return { root: resolve(flags.dataDir ?? DEFAULT_DATA_DIR, OQS_FOLDER), temporary: false };
}
