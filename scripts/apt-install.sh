#!/usr/bin/env bash
# Installs Debian packages a test group needs, for scripts/ensure-*.sh:
#   bash scripts/apt-install.sh WHAT PURPOSE PACKAGE…
# WHAT names the tool in the failure message, PURPOSE the tests that need it. Exit 1 with a
# Japanese message when they cannot be installed (not root, no apt-get, archive unreachable).
set -uo pipefail

what=$1
purpose=$2
shift 2
packages=("$@")

fail() {
  echo "$what をインストールできませんでした: $1" >&2
  echo "  手動で入れるには (root で): apt-get install -y --no-install-recommends ${packages[*]}" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get がありません (Debian 系以外の環境)。"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "root 権限がありません。"
fi

echo "${purpose}に Debian の ${packages[*]} をインストールします…" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# A fresh container often has no package lists yet: refresh them only when the first try fails.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >"$log" 2>&1; then
  "${as_root[@]}" apt-get update -q >>"$log" 2>&1 &&
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${packages[@]}" >>"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; fail "apt-get が失敗しました (上のログを参照)。"; }
fi
