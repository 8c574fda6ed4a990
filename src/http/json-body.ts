// JSON bodies decoded with a fatal UTF-8 decoder. Fastify's own reader turns bytes that are not
// UTF-8 (a Shift_JIS body sent as JSON) into U+FFFD without a word, and the lookup would then run
// on a name nobody sent. JSON is UTF-8 (RFC 8259): a Content-Type naming another charset is E1003
// too. Parsing itself stays Fastify's (prototype-poisoning checks included).
import type { FastifyInstance } from "fastify";
import { charsetNamed } from "../codec/xml.ts";
import { OqsError } from "../errors/catalogue.ts";

export function strictJsonBodies(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    const declared = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers["content-type"] ?? "")?.[1];
    if (declared !== undefined && charsetNamed(declared) !== "UTF-8") return done(new OqsError("E1003", "charset"), undefined);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(body as Buffer);
    } catch {
      return done(new OqsError("E1003"), undefined);
    }
    parse(request, text, done);
  });
}
