#!/usr/bin/env bash
# The browser the web tests drive: Debian's own Chromium at /usr/bin/chromium, installed from the
# Debian archive when it is missing (playwright-core drives it; no test tool downloads a browser),
# with a Japanese font so the screens and their screenshots show text rather than empty boxes.
# Quiet when both are there; idempotent. Exit 1 with a Japanese message when they cannot be
# installed (not root, no apt-get, archive unreachable).
set -uo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-ipafont-gothic)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
[ -x "$CHROMIUM" ] && installed fonts-ipafont-gothic && exit 0

fail() {
  echo "Chromium ($CHROMIUM) をインストールできませんでした: $1" >&2
  echo "  手動で入れるには (root で): apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
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

echo "ブラウザテスト用に Debian の ${PACKAGES[*]} をインストールします…" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# A fresh container often has no package lists yet: refresh them only when the first try fails.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >"$log" 2>&1; then
  "${as_root[@]}" apt-get update -q >>"$log" 2>&1 &&
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >>"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; fail "apt-get が失敗しました (上のログを参照)。"; }
fi
[ -x "$CHROMIUM" ] || fail "インストール後も $CHROMIUM が見つかりません。"
echo "chromium をインストールしました: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
