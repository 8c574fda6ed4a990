#!/usr/bin/env bash
# `npm test`: type check, then every test on PGlite and, against a fresh database, on the
# PostgreSQL server of our machines (started here if it is down).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests start bin/onshi.js, which runs the compiled dist/: build it when missing or stale.
node scripts/build.js --if-stale

PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}

ensure_postgres() {
  pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" 2>/dev/null && return 0
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL が停止しているため起動します。" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do
      pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" && return 0
      sleep 1
    done
  fi
  return 1
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if ensure_postgres; then
    db="onshi_test_$$"
    psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c "create database $db" >/dev/null
    trap 'psql -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM" -U postgres -d postgres -c "drop database if exists $db with (force)" >/dev/null 2>&1 || true' EXIT
    export TEST_DATABASE_URL="postgres://postgres@$PGHOST_ADDR:$PGPORT_NUM/$db"
  elif [ -n "${CI:-}" ]; then
    echo "PostgreSQL を起動できません: CI では PostgreSQL での結合テストが必須です。" >&2
    exit 1
  else
    echo "警告: PostgreSQL に接続できないため、PostgreSQL での結合テストは skip されます。" >&2
  fi
fi

# The web tests drive Debian's Chromium: install it when missing (they skip without it, except on CI).
if ! bash scripts/ensure-chromium.sh; then
  [ -n "${CI:-}" ] && { echo "CI ではブラウザテストが必須です。" >&2; exit 1; }
  echo "警告: Chromium がないため、ブラウザテスト (test/web) は skip されます。" >&2
fi

# The PDF tests read the PDFs with Debian's poppler-utils: install it when missing (they skip without it, except on CI).
if ! bash scripts/ensure-poppler.sh; then
  [ -n "${CI:-}" ] && { echo "CI では PDF のテストが必須です。" >&2; exit 1; }
  echo "警告: poppler-utils がないため、PDF のテスト (test/pdf) は skip されます。" >&2
fi

npx --no-install tsc --noEmit
shopt -s globstar

# Test files run several to a process (scripts/test-shards.mjs), TEST_SHARDS processes (8 by
# default) TEST_CONCURRENCY at a time (3: on 2 cores a file waits on timers, sockets and child
# processes often enough that a third keeps both busy). Set apart: credentials' timing comparisons
# (medians) run first with the machine to themselves; the outage test (its own PostgreSQL cluster,
# killed and restarted) and the browser tests (Chromium) run after the pool, side by side.
alone=(test/security/credentials.test.ts)
after_pool=(test/security/database-outage.test.ts test/web/*.test.ts)
pool=()
for file in test/**/*.test.ts; do
  [[ " ${alone[*]} ${after_pool[*]} " == *" $file "* ]] || pool+=("$file")
done
shard_dir=$(mktemp -d)
mapfile -t shards < <(node scripts/test-shards.mjs "$shard_dir" "${TEST_SHARDS:-8}" "${pool[@]}")
# Every group runs even when one fails, so one run reports every failure. A group that runs past
# its limit in minutes is stopped and counted as failed, so a stuck test ends the run with its
# group named instead of running into CI's 90 minutes. On a quiet 2-core machine the groups take
# about 1, 4 and 1 minutes; with the machine loaded four times over (load 14) the pool took 17.
status=0
group() {
  local name=$1 minutes=$2 code=0
  shift 2
  timeout --kill-after=10s "${minutes}m" node --import tsx --test --test-reporter=spec "$@" || code=$?
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
    echo "テストの $name が $minutes 分以内に終わらないため止めました。" >&2
  fi
  [ "$code" -eq 0 ] || status=$code
}
group "単独実行分 (${alone[*]})" 10 "${alone[@]}"
group "並列実行分" 45 --test-concurrency="${TEST_CONCURRENCY:-3}" "${shards[@]}"
rm -rf "$shard_dir"
group "後続分 (${after_pool[*]})" 20 --test-concurrency="${#after_pool[@]}" "${after_pool[@]}"
exit "$status"
