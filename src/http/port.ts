// A port that is taken is said so at once, before the database is opened and the demo loaded
// (seconds with PGlite), in Japanese with the option that changes it.
import { createServer } from "node:net";
import { errorMessage } from "../errors/catalogue.ts";

/** Listens on the port and lets go of it; rejects with portTaken's error when another process holds it. Port 0 (any free one) is not tried. */
export async function tryPort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error) => reject(asPortTaken(error, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** EADDRINUSE as E9254 naming the address, exit code 2 (the fix is another --port); any other error as it is. */
export function asPortTaken(error: unknown, host: string, port: number): unknown {
  if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") return error;
  return Object.assign(new Error(`E9254 ${errorMessage("E9254", `${host}:${port}`)}`), { exitCode: 2 });
}
