// The card reader's routes, the card simulator (only when asked for: deps.simulator) and the
// 利用者リスト, in one scope whose errors are error bodies (http/error-body.ts). They share
// one CardReader and one live feed, so a completion here wakes this server's 利用者リスト streams at once.
import type { FastifyInstance } from "fastify";
import { openAuthority } from "../../../store/card-authority-store.ts";
import { CardReader } from "../../../services/card-reader.ts";
import { CardUserFeed } from "../../../services/card-user-feed.ts";
import type { ServerDeps } from "../../server-deps.ts";
import { registerCardUserRoutes } from "../cards/card-users.ts";
import { registerSimulatorRoutes } from "../cards/simulator.ts";
import { answerWithErrorBodies } from "../../error-body.ts";
import { registerReaderRoutes } from "./card-reader-routes.ts";

export async function registerCardReaderRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { faceFiles } = deps;
  if (faceFiles === undefined) return;
  const { db, now } = deps.oqs;
  await app.register(async (scope) => {
    answerWithErrorBodies(scope);
    const feed = new CardUserFeed(db, now);
    const reader = await CardReader.open({
      oqs: deps.oqs,
      faceFiles,
      onCompleted: () => feed.notify(),
      // The check is recorded but the レセコン gets no face file: the operator must know which.
      onFaceFileFailed: (faceFile, error) => scope.log.error({ err: error, faceFile }, "受付は記録しましたが、顔認証の結果ファイルを書き込めませんでした (E7035)"),
    });
    registerReaderRoutes(scope, deps.tokens, reader);
    if (deps.simulator) registerSimulatorRoutes(scope, { db, now, tokens: deps.tokens, authority: await openAuthority(db, now()) });
    registerCardUserRoutes(scope, { db, now, tokens: deps.tokens, feed });
  });
}
