#!/usr/bin/env bash
# Rebuilds resources/demo/demo.lyrebird, the model the app ships, from resources/demo/corpus:
# Lyrebird's default preset (the network sized to the corpus: 2 x 192 for its ~139k tokens), seed 1,
# until early stopping ends it (10 epochs without a better validation loss; at most 60 epochs),
# exported without optimizer state. The run is counted in epochs, not minutes, so the same build
# gives the same model on any machine, however fast.
#
#   packaging/make-demo-model.sh [MAX_EPOCHS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
epochs=${1:-60}
"$root/packaging/build.sh"
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}
mkdir -p "$build_dir/demo"
"$build_dir/app/cli/lyrebird-cli" train --data "$root/resources/demo/corpus" --out "$build_dir/demo/demo.lyrebird" \
  --preset default --seed 1 --epochs "$epochs" --patience 10 \
  --log "$build_dir/demo/demo-metrics.csv" \
  --export "$root/resources/demo/demo.lyrebird"
