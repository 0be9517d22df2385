#!/usr/bin/env bash
# Installs a Lyrebird package with apt, checks that what a user gets works, and purges it again
# (CI runs it on the package packaging/make-deb.sh built):
#   - lyrebird-cli --version, and a generate with the bundled model (no --model) to MIDI and WAV;
#   - the installed desktop app under Xvfb in its first-run state (the bundled corpus and model
#     open), a screenshot, a clean exit;
#   - the desktop file, the AppStream metainfo, the MIME type, the man pages, the completion;
#   - purge leaves none of its files.
#
#   packaging/check-deb.sh path/to/lyrebird_VERSION_ARCH.deb
set -euo pipefail
deb=$(realpath "$1")
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" # nothing from the source tree: the installed files only

DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$deb"
/usr/bin/lyrebird-cli --version
/usr/bin/lyrebird-cli generate --out piece.mid --wav piece.wav --length 5s
[[ -s piece.mid && -s piece.wav ]]
QT_QPA_PLATFORM=xcb XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/lyrebird --screenshot "$work/installed.png"
[[ -s installed.png ]]

desktop-file-validate /usr/share/applications/org.lyrebird.Lyrebird.desktop
appstreamcli validate --no-net /usr/share/metainfo/org.lyrebird.Lyrebird.metainfo.xml
[[ $(xdg-mime query filetype /usr/share/lyrebird/demo/demo.lyrebird 2>/dev/null || echo skipped) =~ ^(application/x-lyrebird-model|skipped)$ ]]
for page in lyrebird lyrebird-cli; do
  zcat "/usr/share/man/man1/$page.1.gz" | grep -q '^\.TH'
done
bash -c 'source /usr/share/bash-completion/bash_completion
         source /usr/share/bash-completion/completions/lyrebird-cli
         COMP_LINE="lyrebird-cli gen"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(lyrebird-cli gen); COMP_CWORD=1
         _lyrebird_cli; [[ "${COMPREPLY[*]}" == generate ]]'
grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' /usr/share/doc/lyrebird/copyright

files=$(dpkg -L lyrebird | grep -v '/$' || true)
DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -q lyrebird
left=0
for f in $files; do
  [[ -e "$f" && ! -d "$f" ]] && { echo "left after purge: $f" >&2; left=1; }
done
[[ $left == 0 ]]
echo "check-deb: $(basename "$deb") installs, runs and purges cleanly"
