// Commander's help and usage errors in Japanese, the same for every command: the headings, the
// usage line (required options in it), each option's default, choices and environment variable,
// required options marked, and each usage error translated and followed by where the command's
// help is. Every command inherits this from the program (OnshiCommand creates the subcommands).
import { Command, Help, type Argument, type Option } from "commander";

const HEADINGS: Record<string, string> = {
  "Usage:": "使い方:",
  "Arguments:": "引数:",
  "Options:": "オプション:",
  "Global Options:": "共通のオプション:",
  "Commands:": "コマンド:",
};

/** Columns a string takes on a terminal, where a full-width character (kana, kanji, ＡＢＣ) takes two. */
export const displayWidth = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
/** `s` padded with spaces to `width` columns as a terminal shows them (a full-width character takes two). */
export const padTo = (s: string, width: number) => s + " ".repeat(Math.max(0, width - displayWidth(s)));

const usageInJapanese = (usage: string) => usage.replace("[options]", "[オプション]").replace("[command]", "[コマンド]");

/** "【必須】" before a required item's description, "(選択肢: a, b, 既定: x, 環境変数 Y)" after it. */
function withFacts(description: string, required: boolean, facts: string[]): string {
  const marked = required ? `【必須】${description}` : description;
  return facts.length === 0 ? marked : `${marked} (${facts.join(", ")})`;
}

function choicesAndDefault(item: Option | Argument, showDefault: boolean): string[] {
  const facts: string[] = [];
  if (item.argChoices) facts.push(`選択肢: ${item.argChoices.join(", ")}`);
  if (showDefault && item.defaultValue !== undefined) facts.push(`既定: ${item.defaultValueDescription ?? String(item.defaultValue)}`);
  return facts;
}

class JapaneseHelp extends Help {
  override displayWidth(text: string): number {
    return displayWidth(text);
  }

  override styleTitle(title: string): string {
    return HEADINGS[title] ?? title;
  }

  /** The usage line names the required options: `onshi reader tap --card <id> [オプション]`. */
  override commandUsage(command: Command): string {
    const required = command.options.filter((o) => o.mandatory).map((o) => o.flags);
    return usageInJapanese(super.commandUsage(command).replace("[options]", [...required, "[options]"].join(" ")));
  }

  override subcommandTerm(command: Command): string {
    return usageInJapanese(super.subcommandTerm(command));
  }

  override optionDescription(option: Option): string {
    // Booleans' defaults (true/false) are for the program, not the user.
    const facts = choicesAndDefault(option, option.required || option.optional);
    if (option.envVar !== undefined) facts.push(`環境変数 ${option.envVar}`);
    return withFacts(option.description, option.mandatory, facts);
  }

  override argumentDescription(argument: Argument): string {
    return withFacts(argument.description, argument.required, choicesAndDefault(argument, true));
  }
}

/** Commander's usage errors (what it says in English → Japanese). The suggestion is handled apart. */
const USAGE_ERRORS: [RegExp, (...parts: string[]) => string][] = [
  [/^unknown option '(.+)'$/, (flag) => `不明なオプションです: ${flag}`],
  [/^unknown command '(.+)'$/, (name) => `不明なコマンドです: ${name}`],
  [/^missing required argument '(.+)'$/, (name) => `引数 <${name}> を指定してください`],
  [/^option '(.+)' argument missing$/, (flags) => `オプション ${flags} の値を指定してください`],
  [/^required option '(.+)' not specified$/, (flags) => `必須のオプション ${flags} を指定してください`],
  [/^too many arguments(?: for '.+')?\. Expected (\d+) arguments? but got (\d+)\.$/, (expected, got) => `引数が多すぎます (${expected} 個まで、指定は ${got} 個)`],
  [/^option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/, (flags, value, choices) => `オプション ${flags} に ${value} は指定できません (選択肢: ${choices})`],
  [
    /^option '(.+)' value '(.*)' from env '(.+)' is invalid\. Allowed choices are (.+)\.$/,
    (flags, value, env, choices) => `環境変数 ${env} の値 ${value} は ${flags} に使えません (選択肢: ${choices})`,
  ],
  [
    /^command-argument value '(.*)' is invalid for argument '(.+)'\. Allowed choices are (.+)\.$/,
    (value, name, choices) => `引数 <${name}> に ${value} は指定できません (選択肢: ${choices})`,
  ],
  [/^(?:option|environment variable) '(.+)' cannot be used with (?:option|environment variable) '(.+)'$/, (a, b) => `${a} と ${b} は同時に指定できません`],
];

/** Commander's message in Japanese; one it does not know stays as it is, without "error: ". */
export function usageErrorInJapanese(message: string): string {
  const [text = "", suggestion] = message.replace(/^error: /, "").split("\n(Did you mean ");
  const rule = USAGE_ERRORS.find(([pattern]) => pattern.test(text));
  const japanese = rule ? rule[1](...text.match(rule[0])!.slice(1)) : text;
  return suggestion === undefined ? japanese : `${japanese}\n(もしかして: ${suggestion.replace(/^one of /, "").replace(/\?\)$/, "")})`;
}

/** The name a user types for this command: `onshi reader tap`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** A command whose subcommands are OnshiCommands too, and whose usage errors are in Japanese. */
export class OnshiCommand extends Command {
  override createCommand(name?: string): Command {
    return new OnshiCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new JapaneseHelp(), this.configureHelp());
  }

  /** Commander reports every usage error here; run() exits 2 for it. */
  override error(message: string, options?: { code?: string; exitCode?: number }): never {
    super.error(`エラー: ${usageErrorInJapanese(message)}\n(使い方: ${commandPath(this)} --help)`, options);
  }
}

/** The "例:" block after a command's help: one command line each, a comment after # where it helps. */
export function examples(...lines: string[]): string {
  return `\n例:\n${lines.map((line) => `  $ ${line}`).join("\n")}`;
}

/** A program whose help, help command, help option and version option speak Japanese (inherited by each command added to it). */
export function japaneseProgram(name: string, version: string): OnshiCommand {
  return new OnshiCommand(name)
    .version(version, "-V, --version", "バージョンを表示する")
    .helpOption("-h, --help", "このヘルプを表示する")
    .helpCommand("help [command]", "コマンドのヘルプを表示する");
}
