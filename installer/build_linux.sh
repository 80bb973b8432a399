#!/usr/bin/env bash
# Build the Linux bundle without Python: dist/genuscreen/ (the two executables and _internal/)
# and dist/genuscreen-<version>-linux-<arch>.tar.gz; prints their sizes. `make dist` runs this
# after the set-up. PyInstaller comes from requirements-dist.txt, installed here when missing.
# The bundle carries the torch build of the environment: CPU-only from the set-up; a CUDA bundle
# is built from an environment with a CUDA torch (installer/README.md):
#   VENV=/path/to/cuda-venv DIST=dist-cuda bash installer/build_linux.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}/bin
DIST=${DIST:-dist}
WORK=build/pyinstaller-$(basename "$DIST")

wanted=$(sed -n 's/^pyinstaller==//p' requirements-dist.txt)
installed=$("$VENV/python" -c 'import PyInstaller; print(PyInstaller.__version__)' 2>/dev/null || true)
if [ "$installed" != "$wanted" ]; then
  echo "dist: installing PyInstaller $wanted into ${VENV%/bin} (requirements-dist.txt)"
  "$VENV/python" -m pip install -q -r requirements-dist.txt
fi
bash scripts/build_translations.sh

version=$(PYTHONPATH=app "$VENV/python" -c 'import genuscreen; print(genuscreen.__version__)')
# "-cuda12.8" and the like in the archive's name when the torch build uses CUDA.
read -r torch_version variant < <("$VENV/python" -c \
  'import torch; print(torch.__version__, "" if torch.version.cuda is None else "-cuda" + torch.version.cuda)')
echo "dist: bundling torch $torch_version ($([ -n "$variant" ] && echo "CUDA ${variant#-cuda}" || echo "CPU only"))"
bundle="$DIST/genuscreen"
archive="$DIST/genuscreen-$version-linux-$(uname -m)$variant.tar.gz"
started=$SECONDS
"$VENV/pyinstaller" installer/genuscreen.spec --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK"

# The menu entry and the script that installs it for the user who unpacked the archive.
cp installer/linux/genuscreen.desktop installer/linux/install-desktop-entry.sh "$bundle/"
chmod +x "$bundle/install-desktop-entry.sh"
# Some files (the weights) are private to their owner in a checkout; everyone runs the bundle.
chmod -R a+rX "$bundle"
built=$((SECONDS - started))

rm -f "$archive"
tar -C "$DIST" -czf "$archive" genuscreen
echo "dist: built in ${built} s (archive in $((SECONDS - started - built)) s)"
echo "dist: bundle  $(du -sh "$bundle" | cut -f1)  $bundle/ (genuscreen, genuscreen-gui)"
echo "dist: archive $(du -sh "$archive" | cut -f1)  $archive"
