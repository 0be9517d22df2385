#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite:
# installs the packages, builds, and runs every test with ctest.
#
#   packaging/run-tests.sh [extra CMake arguments...]     e.g. -DLYREBIRD_SANITIZE=ON
#
# The tests read ../shared (corpora and MIDI test files) when it sits beside the checkout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}
"$root/packaging/build.sh" "$@"
cd "$build_dir"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)"
