#!/usr/bin/env bash
# Interoperability suite: checks our output and our schema with tools we did not write.
# Needs the Debian packages installed by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then echo "ok - $name"; pass=$((pass + 1)); else echo "not ok - $name"; fail=$((fail + 1)); fi
}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

check "examples validate with python3-jsonschema (independent JSON Schema implementation)" \
  "$PY" tests/interop/schema_check.py specs/kk-2020-udsatte-sygemeldte specs/kk-2024-udsatte-sygemeldte
for spec in specs/*/; do
  check "npx udbud validate $spec exits 0" npx --no-install udbud validate "$spec"
done
bad=$(mktemp -d); printf 'id: x\ntitel: [\n' > "$bad/udbud.yaml"
check "npx udbud validate on broken YAML exits 1" bash -c "npx --no-install udbud validate '$bad'; test \$? -eq 1"
rm -rf "$bad"

check "rendered documents open in LibreOffice, pandoc, python-docx; PDFs pass qpdf, pdffonts, pdftotext" \
  bash tests/interop/render_check.sh

check "redline DOCX: LibreOffice opens it; pandoc accept/reject give the new/old text" \
  bash tests/interop/diff_check.sh

check "simulation report: LibreOffice, pandoc, python-docx, qpdf, pdffonts, pdftotext; scenario schema with python3-jsonschema" \
  bash tests/interop/simulate_check.sh

echo "interop: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
