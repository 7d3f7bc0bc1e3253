# Shared by the interop check scripts: a work folder removed on exit, pass/fail counters, and
# `check NAME COMMAND...` that prints "ok - NAME" or "not ok - NAME" with the command's output.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }
check() { local name=$1; shift; if "$@" >"$work/last.log" 2>&1; then ok "$name"; else bad "$name"; sed 's/^/    /' "$work/last.log" | head -20; fi; }
