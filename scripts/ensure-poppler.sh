#!/usr/bin/env bash
# The PDF tests read onshi's PDFs as a person's viewer would: Debian's poppler-utils renders each
# page to PNG (pdftoppm), extracts its text (pdftotext) and lists its fonts (pdffonts). Installed
# from the Debian archive when missing; quiet when present; idempotent. Exit 1 with a Japanese
# message when it cannot be installed (scripts/apt-install.sh).
set -uo pipefail

have() { command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; }
have && exit 0

bash "$(dirname "$0")/apt-install.sh" "poppler-utils (pdftoppm, pdftotext, pdffonts)" "PDF テスト用" poppler-utils || exit 1
have || { echo "poppler-utils をインストールできませんでした: インストール後も pdftoppm などが見つかりません。" >&2; exit 1; }
