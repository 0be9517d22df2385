#!/usr/bin/env bash
# Installs every Debian 12 package Lyrebird needs to build, test and run.
# Idempotent: packages already present are left alone; `apt-get update` runs once
# per invocation and only when something is missing.
#
#   sudo packaging/install-deps.sh          # build + run + test dependencies
#   packaging/install-deps.sh --print       # list the packages, install nothing
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev clang-format
  # Qt 6 Widgets + Charts (Charts' CMake package needs libqt6opengl6-dev) + Qt Test
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libqt6svg6 qt6-svg-dev
  libgl-dev
  # learning engine: LibTorch and an optimized BLAS (the reference BLAS is ~14x slower)
  libtorch-dev libopenblas0-pthread libgloo-dev
  # sound and MIDI I/O
  libfluidsynth-dev librtmidi-dev libsndfile1-dev fluidsynth
  # a General MIDI SoundFont
  timgm6mb-soundfont
  # tests: headless GUI runs, MIDI cross-checks, audio measurements
  xvfb xauth python3-mido sox
  # the Debian package (packaging/make-deb.sh) and its checks: man pages, lintian, desktop and
  # AppStream validation, completion
  help2man lintian desktop-file-utils appstream bash-completion
)

if [[ "${1:-}" == "--print" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"

# Make sure the optimized BLAS is the one LibTorch gets at run time.
if command -v update-alternatives >/dev/null; then
  for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
    cand=$(update-alternatives --list "$alt" 2>/dev/null | grep -m1 openblas-pthread || true)
    [[ -n "$cand" ]] && $sudo update-alternatives --set "$alt" "$cand" >/dev/null || true
  done
fi
echo "install-deps: done"
