#!/usr/bin/env bash
# The PDF tests read onshi's PDFs as a person's viewer would: Debian's poppler-utils renders each
# page to PNG (pdftoppm), extracts its text (pdftotext) and lists its fonts (pdffonts). Installed
# from the Debian archive when missing; quiet when present; idempotent. Exit 1 with a Japanese
# message when it cannot be installed (not root, no apt-get, archive unreachable).
set -uo pipefail

PACKAGES=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 && exit 0

fail() {
  echo "poppler-utils (pdftoppm, pdftotext, pdffonts) をインストールできませんでした: $1" >&2
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

echo "PDF テスト用に Debian の ${PACKAGES[*]} をインストールします…" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# A fresh container often has no package lists yet: refresh them only when the first try fails.
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >"$log" 2>&1; then
  "${as_root[@]}" apt-get update -q >>"$log" 2>&1 &&
    "${as_root[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >>"$log" 2>&1 ||
    { tail -n 20 "$log" >&2; fail "apt-get が失敗しました (上のログを参照)。"; }
fi
command -v pdftoppm >/dev/null 2>&1 || fail "インストール後も pdftoppm が見つかりません。"
