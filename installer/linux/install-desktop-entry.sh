#!/bin/sh
# Add GenuScreen to this user's application menu (no root needed), pointing at the bundle this
# script sits in. Run it again after moving the folder; --remove takes the entry away again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/genuscreen.desktop"
icon="$data/icons/hicolor/scalable/apps/genuscreen.svg"
if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$icon"
  echo "GenuScreen removed from the application menu."
  exit 0
fi
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/_internal/resources/icons/genuscreen.svg" "$icon"
# The menu finds the executable by its full path: the bundle is not on PATH.
sed -e "s|^Exec=.*|Exec=\"$here/genuscreen-gui\" %f|" -e "s|^TryExec=.*|TryExec=$here/genuscreen-gui|" \
  "$here/genuscreen.desktop" > "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$(dirname "$entry")" || true
echo "GenuScreen added to the application menu ($entry)."
