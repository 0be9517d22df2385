#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running Lyrebird:
# installs the packages, builds, and starts the desktop app on its bundled defaults.
#
#   packaging/run-app.sh [arguments for lyrebird...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}
"$root/packaging/build.sh" >&2
exec "$build_dir/app/gui/lyrebird" "$@"
