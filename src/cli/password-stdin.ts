// --password-stdin of the account commands (onshi staff add, onshi office account add): a password
// piped in, so that it appears in no shell history and no process list.
import { usageError, type Input } from "./io.ts";

/** The password on standard input, without its trailing line break; a usage error when there is none. */
export async function readPassword(stdin: Input | undefined): Promise<string> {
  if (!stdin) throw usageError("--password-stdin: 標準入力がありません。");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    // A password is at most 128 characters: anything much longer is not one.
    if (size > 4096) throw usageError("--password-stdin: 標準入力が長すぎます。");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** A new account as the account commands answer it: with its generated password, none when it was piped in. */
export function created<A>(made: { account: A; password: string }, piped: boolean | undefined): A & { password?: string } {
  return { ...made.account, ...(piped ? {} : { password: made.password }) };
}

/** The lines that show a generated password, the one time it can be shown. */
export function passwordShownOnce(password: string | undefined): string {
  return password === undefined ? "" : `\n  パスワード: ${password}\n  (この一度だけ表示します。保存されるのはハッシュだけで、あとから表示することはできません)`;
}
