#!/usr/bin/env bash
# Rebuilds resources/demo/demo.lyrebird, the model the app ships, from resources/demo/corpus:
# Lyrebird's default preset, seed 1, 20 minutes of training (as many epochs as fit: the corpus is
# small, so early stopping waits 10 epochs), exported without optimizer state.
#
#   packaging/make-demo-model.sh [MINUTES]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
minutes=${1:-20}
"$root/packaging/build.sh"
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}
mkdir -p "$build_dir/demo"
"$build_dir/app/cli/lyrebird-cli" train --data "$root/resources/demo/corpus" --out "$build_dir/demo/demo.lyrebird" \
  --preset default --seed 1 --minutes "$minutes" --epochs 1000 --patience 10 \
  --log "$build_dir/demo/demo-metrics.csv" \
  --export "$root/resources/demo/demo.lyrebird"
