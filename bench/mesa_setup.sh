#!/usr/bin/env bash
# Create bench/.venv with Mesa 3.5.1 (+ networkx via the [network] extra) and
# scipy, for bench/mesa_epstein.py and bench/compare_epstein.py.
#
# Idempotent: if bench/.venv already imports the pinned versions it does
# nothing.  Mesa 3.5.x requires Python >= 3.12; the interpreter is taken from
# $MESA_PYTHON if set, else the first of python3.13, python3.12 (PATH or
# pyenv's versions folder), python3 that is >= 3.12.  Only PyPI is needed.
#
# Usage: bash bench/mesa_setup.sh        (prints the venv's python path last)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$HERE/.venv"
PY="$VENV/bin/python"

# Pinned versions (all install from PyPI wheels on CPython 3.12, x86_64).
REQS=(
  "mesa[network]==3.5.1"
  "scipy==1.18.1"
  "numpy==2.5.5"
)

check_venv() {
  [ -x "$PY" ] && "$PY" - <<'PY' >/dev/null 2>&1
import importlib.metadata as md
import mesa, scipy, numpy, networkx  # noqa: F401
assert md.version("mesa") == "3.5.1", md.version("mesa")
assert md.version("scipy") == "1.18.1"
assert md.version("numpy") == "2.5.5"
import mesa.examples.advanced.epstein_civil_violence.model  # noqa: F401
PY
}

find_python() {
  local cand
  local cands=()
  [ -n "${MESA_PYTHON:-}" ] && cands+=("$MESA_PYTHON")
  cands+=(python3.13 python3.12)
  for d in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*; do
    [ -x "$d/bin/python3" ] && cands+=("$d/bin/python3")
  done
  cands+=(python3)
  for cand in "${cands[@]}"; do
    if "$cand" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$cand" 2>/dev/null || echo "$cand"
      return 0
    fi
  done
  return 1
}

if check_venv; then
  echo "mesa_setup: $VENV is up to date" >&2
  echo "$PY"
  exit 0
fi

if ! BASE="$(find_python)"; then
  echo "mesa_setup: no Python >= 3.12 found (Mesa 3.5.1 needs one); set MESA_PYTHON=/path/to/python3.12" >&2
  exit 1
fi
# Resolve pyenv shims to the real interpreter so the venv does not depend on them.
BASE="$("$BASE" -c 'import sys; print(sys.executable)')"

if [ -x "$PY" ] && ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  echo "mesa_setup: removing $VENV (its Python is too old)" >&2
  rm -rf "$VENV"
fi
if [ ! -x "$PY" ]; then
  echo "mesa_setup: creating $VENV with $BASE" >&2
  "$BASE" -m venv "$VENV"
fi
"$PY" -m pip install --quiet --disable-pip-version-check "${REQS[@]}" >&2
if ! check_venv; then
  echo "mesa_setup: installed, but the check import failed" >&2
  exit 1
fi
echo "mesa_setup: ready ($("$PY" -c 'import mesa, scipy, sys; print(f"mesa {mesa.__version__}, scipy {scipy.__version__}, python {sys.version.split()[0]}")'))" >&2
echo "$PY"
