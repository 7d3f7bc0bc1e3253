#!/usr/bin/env bash
# Interoperability of the simulation report (udbud simulate): LibreOffice opens and converts the
# DOCX with its charts; pandoc reads DOCX and Markdown (charts as images); python-docx finds the
# embedded chart images and Heading styles; the PDF passes qpdf --check, embeds every font and
# carries the Danish text of tables and charts (pdftotext); the scenario validates against its
# JSON Schema with python3-jsonschema; the CSV reads with Python's csv module.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

out="$work/sim"
check "simulate the 2024 example (2000 runs, every format)" npx --no-install udbud simulate specs/kk-2024-udsatte-sygemeldte --runs 2000 --out "$out" --format html,docx,pdf,md,csv,json
check "LibreOffice converts the report DOCX" bash -o pipefail -c "soffice --headless --norestore --convert-to pdf --outdir '$work/lo' '$out/prissimulering.docx' >/dev/null 2>&1; test -s '$work/lo/prissimulering.pdf'"
check "LibreOffice's PDF of the DOCX shows the break-even table" bash -o pipefail -c "pdftotext '$work/lo/prissimulering.pdf' - | tr -s ' \n' ' ' | grep -q 'Break-even ugepris'"
check "pandoc reads the DOCX: headings and chart images" bash -o pipefail -c "pandoc -f docx -t markdown --extract-media='$work/media' '$out/prissimulering.docx' > '$work/d.md' && grep -qE '^#+ ([0-9]+\.? )?Break-even priser' '$work/d.md' && test \$(grep -c '!\[' '$work/d.md') -ge 8"
check "pandoc reads the Markdown with its SVG images" bash -o pipefail -c "pandoc -f markdown -t html '$out/prissimulering.md' | grep -c 'data:image/svg+xml;base64' | awk '{ exit (\$1 >= 8 ? 0 : 1) }'"
check "python-docx: chart images and Heading styles" "$PY" - "$out/prissimulering.docx" <<'PYEOF'
import sys, docx
d = docx.Document(sys.argv[1])
shapes = len(d.inline_shapes)
heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
assert shapes >= 8, f"{shapes} inline images"
assert any("Break-even priser" in h for h in heads), heads[:10]
caps = [p.text for p in d.paragraphs if p.text.startswith("Figur ")]
assert len(caps) == shapes, (len(caps), shapes)
print(f"{shapes} charts, {len(heads)} headings")
PYEOF
check "qpdf --check on the report PDF" qpdf --check "$out/prissimulering.pdf"
check "pdffonts: every font embedded in the report PDF" bash -o pipefail -c "pdffonts '$out/prissimulering.pdf' | tail -n +3 | awk '{ n++; if (\$(NF-4) != \"yes\") { print; bad = 1 } } END { exit (bad || n == 0) }'"
pdftotext "$out/prissimulering.pdf" - | tr -s ' \n' ' ' > "$work/p.txt"
for want in "Break-even ugepris" "Helårspersoner og belægning" "Prisreduktionsklausulen" "Forventet årlig udgift" "Basis:"; do
  check "pdftotext finds '$want'" grep -qF "$want" "$work/p.txt"
done
check "the example scenarios validate with python3-jsonschema against schemas/scenarie.schema.json" "$PY" - <<'PYEOF'
import json, yaml, jsonschema
schema = json.load(open("schemas/scenarie.schema.json"))
for f in ["specs/kk-2024-udsatte-sygemeldte/scenarie.yaml", "specs/kk-2020-udsatte-sygemeldte/scenarie.yaml"]:
    jsonschema.validate(yaml.safe_load(open(f, encoding="utf-8")), schema)
PYEOF
check "Python's csv module reads simulering.csv (semicolons, BOM)" "$PY" - "$out/simulering.csv" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"), delimiter=";"))
assert rows and all(len(r) == len(rows[0]) for r in rows)
t1 = [r for r in rows if r["niveau"] == "ydelse" and r["ydelse"] == "T1" and r["model"] == "ugepris"]
assert t1 and float(t1[0]["middel"].replace(",", ".")) > 0
PYEOF

echo "simulate interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
