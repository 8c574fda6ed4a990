// The bare floor for the folder benchmark: an fs.watch loop that, for each file appearing in req,
// reads it and answers a fixed XML with the same durable write (temp, fsync, rename) before
// removing the request. No stability wait, no parsing, no database.
import { watch } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";

const root = process.argv[2]!;
const req = join(root, "req");
const res = join(root, "res");
const ANSWER = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<XmlMsg><MessageHeader><SegmentOfResult>1</SegmentOfResult></MessageHeader><MessageBody/></XmlMsg>\n');
const busy = new Set<string>();

async function answer(name: string) {
  if (busy.has(name) || !name.includes("req_") || name.endsWith(".tmp")) return;
  busy.add(name);
  try {
    await readFile(join(req, name));
    const out = name.replace("req_", "res_");
    const temp = join(res, `.${out}.tmp`);
    const file = await open(temp, "w");
    await file.writeFile(ANSWER);
    await file.sync();
    await file.close();
    await rename(temp, join(res, out));
    await unlink(join(req, name));
  } catch {
    // gone already
  } finally {
    busy.delete(name);
  }
}

watch(req, (_event, name) => name && void answer(name));
process.stdout.write("ready\n");
