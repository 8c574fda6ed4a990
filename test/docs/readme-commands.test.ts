// The README's command blocks marked `<!-- runnable -->` run as shown: each `onshi …` command in
// process (test/support/cli.ts), all of them in one fresh data folder as in a fresh clone, and each
// exits 0; in a `console` block the output shown is printed, in order (`…` stands for lines left
// out). Every file a README command names exists.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onshiProgram } from "../../src/cli/main.ts";
import { CliRun } from "../../src/cli/io.ts";
import { Captured, onshi } from "../support/cli.ts";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const RUNNABLE = "<!-- runnable -->";

interface Block {
  /** The line of the opening fence, from 1. */
  line: number;
  lang: string;
  runnable: boolean;
  body: string[];
}

function blocksOf(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    blocks.push({ line: i + 1, lang: open[1]!, runnable: lines[i - 1]?.trim() === RUNNABLE, body: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

/** A command as the shell would split it: quotes, `\` line continuations; a trailing `# comment` dropped. */
function words(command: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) break;
    else word = (word ?? "") + c;
  }
  if (word !== undefined) out.push(word);
  return out;
}

interface Command {
  line: string;
  args: string[];
  /** The output a console block shows after the command. */
  shown: string[];
}

/** The commands of a block: `sh` lines (joined at `\`) that are not comments, or a console block's `$ ` lines with their output. */
function commandsOf(block: Block): Command[] {
  const commands: Command[] = [];
  if (block.lang === "console") {
    for (const line of block.body) {
      if (line.startsWith("$ ")) commands.push({ line: line.slice(2), args: words(line.slice(2)), shown: [] });
      else commands.at(-1)?.shown.push(line);
    }
    return commands;
  }
  const joined = block.body.join("\n").replace(/\\\n\s*/g, " ");
  for (const line of joined.split("\n")) if (line.trim() !== "" && !line.trim().startsWith("#")) commands.push({ line, args: words(line), shown: [] });
  return commands;
}

/** The arguments after `onshi` (or `npx --no-install onshi`), or undefined for another program. */
function onshiArgs(args: string[]): string[] | undefined {
  const start = args[0] === "npx" && args[1] === "--no-install" ? 2 : 0;
  return args[start] === "onshi" ? args.slice(start + 1) : undefined;
}

/** Whether the subcommand `args` names takes --data-dir (it opens the database). */
async function opensDatabase(args: string[]): Promise<boolean> {
  let command = await onshiProgram(new CliRun({ stdout: new Captured(), stderr: new Captured(), env: {} }));
  for (const arg of args) {
    const sub = command.commands.find((c) => c.name() === arg);
    if (!sub) break;
    command = sub;
  }
  return command.options.some((o) => o.long === "--data-dir");
}

const runnable = blocksOf(readme).filter((b) => b.runnable);

test("no command in the README or docs/ is a bare `npx onshi`, which outside the clone fetches whatever the registry calls onshi", () => {
  const pages = ["README.md", ...readdirSync(new URL("docs/", root)).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const bare = pages.flatMap((page) => readFileSync(new URL(page, root), "utf8").split("\n").filter((line) => /^(\$ )?npx onshi\b/.test(line)).map((line) => `${page}: ${line}`));
  assert.deepEqual(bare, []);
});

test("the README marks its runnable blocks, and each holds only onshi commands", () => {
  assert.ok(runnable.length >= 4, "the README marks its command examples runnable");
  for (const block of runnable) {
    const commands = commandsOf(block);
    assert.ok(commands.length > 0, `README line ${block.line}: a runnable block with no command`);
    for (const c of commands) assert.ok(onshiArgs(c.args), `README line ${block.line}: \`${c.line}\` is not an onshi command`);
  }
});

test("every file a README command names exists", () => {
  const named = blocksOf(readme)
    .filter((b) => b.lang === "sh" || b.lang === "console")
    .flatMap(commandsOf)
    .flatMap((c) => onshiArgs(c.args) ?? [])
    .filter((arg) => /\.(xml|json|jsonl)$/.test(arg) && !arg.includes("…"));
  assert.ok(named.length >= 5, "README commands name files");
  assert.deepEqual(named.filter((file) => !existsSync(new URL(file, root))), []);
});

describe("the README's runnable blocks", () => {
  let dataDir: string;
  // The README's commands use the embedded database; DATABASE_URL (a test server's) is not theirs.
  const { DATABASE_URL: _, ...env } = process.env;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "onshi-readme-"));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  for (const block of runnable) {
    test(`README line ${block.line}`, async () => {
      for (const command of commandsOf(block)) {
        const args = onshiArgs(command.args)!;
        const scratch = (await opensDatabase(args)) && !args.includes("--data-dir") && !args.includes("--memory") ? ["--data-dir", dataDir] : [];
        const result = await onshi([...args, ...scratch], env);
        assert.equal(result.code, 0, `${command.line}\n${result.stderr}`);
        let at = 0;
        const printed = result.stdout.split("\n");
        for (const line of command.shown.filter((l) => l !== "…")) {
          const found = printed.indexOf(line, at);
          assert.ok(found >= 0, `${command.line}: the README shows «${line}», which is not printed (in that order)`);
          at = found + 1;
        }
      }
    });
  }
});
