// isDatabaseUnavailable tells "the database cannot be reached right now" (answered E9002 and
// retried) from a fault in what was asked (answered with its own code, or E9001): a table of the
// errors pg, pg-pool and the socket layer raise, and of look-alikes that must not count.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDb } from "../../src/db/client.ts";
import { isDatabaseUnavailable } from "../../src/db/unavailable.ts";
import { OqsError } from "../../src/errors/catalogue.ts";

/** An error as pg raises it for a server's ErrorResponse (a DatabaseError with its SQLSTATE). */
const sql = (code: string, message: string) => Object.assign(new Error(message), { code });
const errno = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:5432`), { code });

const UNAVAILABLE: [string, unknown][] = [
  ["57P01 a restart or fast shutdown", sql("57P01", "terminating connection due to administrator command")],
  ["57P02 another backend crashed", sql("57P02", "terminating connection because of crash of another server process")],
  ["57P03 still starting up", sql("57P03", "the database system is starting up")],
  ["08006 connection failure", sql("08006", "connection failure")],
  ["08001 cannot establish", sql("08001", "could not connect")],
  ["53300 too many connections", sql("53300", "sorry, too many clients already")],
  ["the socket closed under a query", new Error("Connection terminated unexpectedly")],
  ["a client whose connection broke between queries", new Error("Client has encountered a connection error and is not queryable")],
  ["no free connection in time", new Error("timeout exceeded when trying to connect")],
  ["connect timed out", new Error("Connection terminated due to connection timeout", { cause: new Error("timeout expired") })],
  ["a server still shutting down (message only)", new Error("the database system is shutting down")],
  ["ECONNREFUSED", errno("ECONNREFUSED")],
  ["ECONNRESET", errno("ECONNRESET")],
  ["ETIMEDOUT", errno("ETIMEDOUT")],
  ["EHOSTUNREACH", errno("EHOSTUNREACH")],
  ["ENOTFOUND (a container's name gone while it restarts)", errno("ENOTFOUND")],
  ["wrapped as a cause", new Error("bulk chunk failed", { cause: sql("57P01", "terminating connection due to administrator command") })],
];

const NOT_UNAVAILABLE: [string, unknown][] = [
  ["23505 unique violation", sql("23505", "duplicate key value violates unique constraint")],
  ["42P01 undefined table", sql("42P01", 'relation "x" does not exist')],
  ["3D000 no such database (a configuration fault)", sql("3D000", 'database "x" does not exist')],
  ["28P01 wrong password (a configuration fault)", sql("28P01", "password authentication failed")],
  ["57014 statement cancelled", sql("57014", "canceling statement due to statement timeout")],
  ["40001 serialization failure", sql("40001", "could not serialize access")],
  ["ENOENT (a file, not the database)", Object.assign(new Error("ENOENT: no such file"), { code: "ENOENT" })],
  ["an OQS refusal", new OqsError("E2001")],
  ["a programming fault", new TypeError("Cannot read properties of undefined")],
  ["a string, not an error", "ECONNREFUSED"],
  ["a plain object with a code", { code: "ECONNREFUSED", message: "Connection terminated" }],
  ["undefined", undefined],
];

for (const [name, error] of UNAVAILABLE) {
  test(`unavailable: ${name}`, () => assert.equal(isDatabaseUnavailable(error), true));
}
for (const [name, error] of NOT_UNAVAILABLE) {
  test(`not unavailable: ${name}`, () => assert.equal(isDatabaseUnavailable(error), false));
}

test("the error of opening a database whose server is not listening counts as unavailable", async () => {
  const error = await openDb({ url: "postgres://postgres@127.0.0.1:1/onshi", poolSize: 1 }).then(
    () => assert.fail("connected to port 1"),
    (e: unknown) => e,
  );
  assert.equal(isDatabaseUnavailable(error), true, String(error));
});
