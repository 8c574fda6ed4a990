// The OQS root and the folders inside it, as the real terminal lays them out (spec §0): clients
// write requests to `req`, read answers from `res` and card-reader results from `face`. `error`
// is onshi's own: requests it could not read are moved there, with the reason beside them.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";

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
