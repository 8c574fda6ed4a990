// Writes docs/interface.md from the message schemas (src/oqs/messages/interface-doc.ts).
import { writeFileSync } from "node:fs";
import { interfaceMarkdown } from "../src/oqs/messages/interface-doc.ts";

writeFileSync(new URL("../docs/interface.md", import.meta.url), interfaceMarkdown());
