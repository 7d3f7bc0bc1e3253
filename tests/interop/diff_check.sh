#!/usr/bin/env bash
# Interoperability of `udbud diff`: the redline DOCX opens in LibreOffice; pandoc's
# --track-changes=accept gives the new version's text and =reject the old one's.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

check "diff 2020 → 2024 specs writes redline, html and ændringsoversigt" \
  npx --no-install udbud diff specs/kk-2020-udsatte-sygemeldte specs/kk-2024-udsatte-sygemeldte --format docx,html,oversigt --out "$work/d" --date 2024-01-12 --author Udbud
check "LibreOffice opens and converts the redline" bash -o pipefail -c "soffice --headless --norestore --convert-to pdf --outdir '$work/lo' '$work/d/redline.docx' >/dev/null 2>&1 && test -s '$work/lo/redline.pdf'"
pandoc --track-changes=accept --wrap=none -t plain "$work/d/redline.docx" -o "$work/accept.txt" 2>/dev/null
pandoc --track-changes=reject --wrap=none -t plain "$work/d/redline.docx" -o "$work/reject.txt" 2>/dev/null
check "pandoc accept: the 2024 term" grep -qF "Kontrakten træder i kraft 1. juli 2024 og løber frem til 30. juni 2027" "$work/accept.txt"
check "pandoc accept: no 2020 term left" bash -o pipefail -c "test -s '$work/accept.txt' && ! grep -qF 'Kontrakten træder i kraft 1. juli 2020' '$work/accept.txt'"
check "pandoc reject: the 2020 term" grep -qF "Kontrakten træder i kraft 1. juli 2020 og løber frem til 30. juni 2023" "$work/reject.txt"
check "pandoc reject: no 2024 term" bash -o pipefail -c "test -s '$work/reject.txt' && ! grep -qF 'Kontrakten træder i kraft 1. juli 2024' '$work/reject.txt'"
check "ændringsoversigt PDF passes qpdf and embeds its fonts" bash -o pipefail -c "qpdf --check '$work/d/aendringsoversigt.pdf' >/dev/null && pdffonts '$work/d/aendringsoversigt.pdf' | tail -n +3 | awk '{ n++; if (\$(NF-4) != \"yes\") { print; bad = 1 } } END { exit (bad || n == 0) }'"

echo "diff interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
