#!/usr/bin/env bash
# Builds Lyrebird's Debian package: a clean Release build (with the man pages and the bash
# completion written from the programs' --help), `cpack -G DEB`, then lintian (errors fail).
# Prints the package's path as its last line:
#
#   sudo apt install "$(packaging/make-deb.sh | tail -n 1)"
#
# Environment: LYREBIRD_DEB_BUILD_DIR (default: build-deb), LYREBIRD_SKIP_DEPS=1 to skip apt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${LYREBIRD_DEB_BUILD_DIR:-$root/build-deb}

if [[ "${LYREBIRD_SKIP_DEPS:-0}" != 1 ]]; then
  "$root/packaging/install-deps.sh" >&2
fi
rm -rf "$build_dir"
# Debian's hardening flags (stack protector, fortify, relro, bindnow), as dpkg-buildpackage sets them.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS="$(dpkg-buildflags --get LDFLAGS)"
export CXXFLAGS LDFLAGS
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLYREBIRD_BUILD_TESTS=OFF \
  -DLYREBIRD_PACKAGE_DOCS=ON >&2
cmake --build "$build_dir" --parallel "$(nproc)" >&2
(cd "$build_dir" && cpack -G DEB >&2)
deb=$(ls "$build_dir"/lyrebird_*.deb)
# Errors fail the build; warnings are printed.
lintian --fail-on error "$deb" >&2
echo "$deb"
