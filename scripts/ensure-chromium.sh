#!/usr/bin/env bash
# The browser the web tests drive: Debian's own Chromium at /usr/bin/chromium, installed from the
# Debian archive when it is missing (playwright-core drives it; no test tool downloads a browser),
# with a Japanese font so the screens and their screenshots show text rather than empty boxes.
# Quiet when both are there; idempotent. Exit 1 with a Japanese message when they cannot be
# installed (scripts/apt-install.sh).
set -uo pipefail

CHROMIUM=/usr/bin/chromium
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
[ -x "$CHROMIUM" ] && installed fonts-ipafont-gothic && exit 0

bash "$(dirname "$0")/apt-install.sh" "Chromium ($CHROMIUM)" "ブラウザテスト用" chromium fonts-ipafont-gothic || exit 1
[ -x "$CHROMIUM" ] || { echo "Chromium をインストールできませんでした: インストール後も $CHROMIUM が見つかりません。" >&2; exit 1; }
echo "chromium をインストールしました: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
