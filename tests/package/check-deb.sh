#!/usr/bin/env bash
# Issue 20: the .deb made by `make package`, checked as IT staff would use it —
# its control data and contents, lintian, then installed with apt, the installed
# window started (tests/package/test_installed.py), removed with apt: the user's
# archive stays. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls -t dist/*.deb | head -1)
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
fail() { echo "package-test: $*" >&2; exit 1; }
echo "== $deb ($(du -h "$deb" | cut -f1))"

info=$(dpkg-deb --info "$deb")
name=$(dpkg-deb --field "$deb" Package)
depends=$(dpkg-deb --field "$deb" Depends)
for d in libwebkit2gtk-4.1-0 libgtk-3-0; do
  grep -q "$d" <<<"$depends" || fail "Depends lacks $d: $depends"
done
grep -q "Section: misc" <<<"$info" || fail "Section is not misc"
[ "$name" = ganshi ] || fail "the package is named $name, not ganshi"

contents=$(dpkg-deb --contents "$deb")
for f in usr/bin/ganshi-app usr/bin/ganshi usr/share/man/man1/ganshi.1.gz \
         usr/share/doc/ganshi/install.md usr/share/doc/ganshi/copyright usr/share/doc/ganshi/changelog.gz \
         usr/share/icons/hicolor/32x32/apps/ganshi-app.png \
         usr/share/icons/hicolor/128x128/apps/ganshi-app.png \
         usr/share/icons/hicolor/256x256/apps/ganshi-app.png \
         usr/share/icons/hicolor/512x512/apps/ganshi-app.png; do
  grep -q " $f\$" <<<"$contents" || fail "missing $f"
done
desktop=$(grep -o 'usr/share/applications/[^ ]*\.desktop' <<<"$contents" | head -1)
[ -n "$desktop" ] || fail "no desktop entry"
entry=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO "$desktop")
grep -q '^Name=干事档案$' <<<"$entry" || fail "desktop entry is not named 干事档案"
grep -q '^Categories=.*Office' <<<"$entry" || fail "desktop entry is not in Office"
echo "control data, contents and desktop entry: ok"

# lintian: no errors (its warnings are listed in docs/install.md).
lintian --no-tag-display-limit "$deb" > dist/lintian.txt 2>&1 || true
grep -q '^E: ' dist/lintian.txt && { cat dist/lintian.txt; fail "lintian reports errors"; }
echo "lintian: $(grep -c '^W: ' dist/lintian.txt || true) warnings, no errors (dist/lintian.txt)"

# Install, start the installed window, remove.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" > /dev/null
command -v ganshi > /dev/null || fail "ganshi is not on the PATH after installing"
man -w ganshi > /dev/null 2>&1 || [ -f /usr/share/man/man1/ganshi.1.gz ] || fail "no man page"
home=$(mktemp -d)
xvfb-run -a -s '-screen 0 1280x800x24' tests/e2e/.venv/bin/pytest -q -p no:cacheprovider \
  --basetemp="$home/pytest" tests/package/test_installed.py
archive=$(find "$home" -name '干事档案.db' | head -1)
[ -n "$archive" ] || fail "the installed window wrote no archive"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "$name" > /dev/null
[ ! -e /usr/bin/ganshi-app ] || fail "apt remove left /usr/bin/ganshi-app"
[ -f "$archive" ] && [ -f "$archive.keys" ] || fail "apt remove took the user's archive"
echo "installed, started, removed; the archive stays: $archive"
rm -rf "$home"
