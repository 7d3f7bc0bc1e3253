#!/usr/bin/env bash
# Interoperability of rendered documents: LibreOffice opens and converts every DOCX; pandoc reads
# DOCX and Markdown; python-docx sees Heading styles; every PDF passes qpdf --check, embeds all
# fonts (pdffonts) and carries the exact Danish text (pdftotext).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

for spec in kk-2020-udsatte-sygemeldte kk-2024-udsatte-sygemeldte; do
  out="$work/$spec"
  check "render $spec" npx --no-install udbud render "specs/$spec" --out "$out"
  docs=$(ls "$out"/*.docx 2>/dev/null | wc -l)
  check "render $spec wrote DOCX files ($docs)" test "$docs" -gt 0

  # LibreOffice: every DOCX opens and converts to PDF.
  mkdir -p "$out/lo"
  check "LibreOffice converts all $docs DOCX of $spec" bash -o pipefail -c "soffice --headless --norestore --convert-to pdf --outdir '$out/lo' '$out'/*.docx >/dev/null 2>&1; test \$(ls '$out/lo'/*.pdf 2>/dev/null | wc -l) -eq $docs"

  # pandoc reads every DOCX and sees its headings (their numbers are Word's list numbers, which
  # pandoc does not print; LibreOffice shows them: tests/docx-word.interop.test.ts).
  check "pandoc reads all DOCX of $spec with headings" bash -o pipefail -c "for f in '$out'/*.docx; do pandoc -f docx -t markdown \"\$f\" | grep -qE '^#+ [[:alpha:]]' || { echo \"no headings: \$f\"; exit 1; }; done"
  # pandoc reads our Markdown.
  check "pandoc reads all $docs Markdown files of $spec: title and numbered headings" bash -o pipefail -c "test \$(ls '$out'/*.md | wc -l) -eq $docs && for f in '$out'/*.md; do pandoc -f markdown -t html --wrap=none \"\$f\" > '$work/md.html' && grep -qE '<h1[ >]' '$work/md.html' && grep -qE '<h[2-6][^>]*>[0-9]+(\.[0-9]+)*\.? ' '$work/md.html' || { echo \"no numbered headings: \$f\"; exit 1; }; done"
  # python-docx: headings carry Heading styles.
  check "python-docx: Heading styles in all DOCX of $spec" "$PY" tests/interop/docx_check.py "$out"/*.docx

  # PDFs: qpdf, fonts embedded, text.
  check "qpdf --check on all PDF of $spec" bash -o pipefail -c "for f in '$out'/*.pdf; do qpdf --check \"\$f\" >/dev/null || { echo \"qpdf: \$f\"; exit 1; }; done"
  check "pdffonts: every font embedded in all PDF of $spec" bash -o pipefail -c "test \$(ls '$out'/*.pdf | wc -l) -eq $docs && for f in '$out'/*.pdf; do pdffonts \"\$f\" | tail -n +3 | awk '{ n++; if (\$(NF-4) != \"yes\") { print; bad = 1 } } END { exit (bad || n == 0) }' || { echo \"fonts: \$f\"; exit 1; }; done"
done

# Exact Danish text in the 2020 contract and annex (pdftotext and LibreOffice's reading of the DOCX).
c20="$work/kk-2020-udsatte-sygemeldte"
pdftotext "$c20/rammeaftale.pdf" "$work/r.txt"
tr -s ' \n' ' ' < "$work/r.txt" > "$work/r1.txt"
for want in "Ved ”Arbejdsdag” forstås mandag til fredag" "minimum DKK 3.000 pr. Arbejdsdag" "mindst DKK 10 mio. for personskade og mindst DKK 500.000 for tingskade" "1. juli 2020" "30. juni 2023" "Side 2 af"; do
  check "pdftotext rammeaftale.pdf contains '$want'" grep -qF "$want" "$work/r1.txt"
done
pdftotext "$c20/bilag-a1-udsatte.pdf" - | tr -s ' \n' ' ' > "$work/a1.txt"
check "pdftotext bilag A1: indsats 1A 26 uger, 2-4 timer (the seed's wording)" bash -o pipefail -c "grep -qF 'op til 26 uger med mulighed for forlængelse' '$work/a1.txt' && grep -qF 'et sted mellem 2-4 timer' '$work/a1.txt'"
pdftotext "$c20/lo/rammeaftale.pdf" - | tr -s ' \n' ' ' > "$work/lo.txt"
check "LibreOffice's PDF of rammeaftale.docx has the same terms" bash -o pipefail -c "grep -qF 'minimum DKK 3.000 pr. Arbejdsdag' '$work/lo.txt' && grep -qF '6.4 Bod' '$work/lo.txt'"

echo "render interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
