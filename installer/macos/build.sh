#!/usr/bin/env bash
# Build GenuScreen.app and a disk image on macOS (Python 3.11 from python.org or Homebrew):
#   bash installer/macos/build.sh
# Makes .venv when missing, builds dist/genuscreen/ and dist/GenuScreen.app with the same spec as
# Linux and Windows, runs the bundle's self-test and writes dist/genuscreen-<version>-macos-<arch>.dmg.
# The app is signed ad hoc only; see installer/README.md for signing and notarising.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# PyPI's macOS torch wheels are CPU (and Apple GPU) builds; GenuScreen uses the CPU there.
.venv/bin/python -m pip install -q -r requirements.txt -r requirements-dist.txt
.venv/bin/python -m pip install -q --no-deps -e .
bash scripts/build_translations.sh
.venv/bin/pyinstaller installer/genuscreen.spec --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller
(cd "${TMPDIR:-/tmp}" && "$OLDPWD/dist/GenuScreen.app/Contents/MacOS/genuscreen" --self-test)
version=$(.venv/bin/python -c 'import genuscreen; print(genuscreen.__version__)')
dmg="dist/genuscreen-$version-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname GenuScreen -srcfolder dist/GenuScreen.app -ov -format UDZO "$dmg"
du -sh dist/GenuScreen.app "$dmg"
