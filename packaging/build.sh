#!/usr/bin/env bash
# Installs the Debian 12 packages Lyrebird needs, then configures and builds it.
#
#   packaging/build.sh [extra CMake arguments...]
#
# Environment: LYREBIRD_BUILD_DIR (default: build), LYREBIRD_SKIP_DEPS=1 to skip apt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}

if [[ "${LYREBIRD_SKIP_DEPS:-0}" != 1 ]]; then
  "$root/packaging/install-deps.sh"
fi

cmake -S "$root" -B "$build_dir" -G Ninja "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
