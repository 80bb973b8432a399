#!/usr/bin/env bash
# Compile the translations: resources/i18n/*.ts (the sources, kept in git) to .qm files (built
# here, not kept in git). With --update, first refresh the .ts from the strings in the GUI code
# (new strings arrive untranslated; translate them, e.g. with .venv/bin/pyside6-linguist).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
if [ "${1:-}" = "--update" ]; then
  for ts in resources/i18n/*.ts; do
    "$BIN/pyside6-lupdate" -no-obsolete -locations none app/genuscreen/gui/*.py -ts "$ts"
  done
fi
for ts in resources/i18n/*.ts; do
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    "$BIN/pyside6-lrelease" -silent "$ts" -qm "$qm"
    echo "translations: built $qm"
  fi
done
