#!/usr/bin/env bash
# Trains the base model that is to become resources/demo/demo.lyrebird, the model the app ships
# (the "bundled model"; today it is still the demo corpus's model of make-demo-model.sh), from the
# licensed music in ../shared/data:
#   - every Mutopia keyboard piece (mutopia-keyboard/manifest.tsv: Public Domain, CC BY, CC BY-SA),
#     except the 48 pieces of resources/demo/corpus (matched by content), so that the demo corpus
#     stays music the bundled model has never learned and `evaluate` on it is honest;
#   - piano-midi-de (Bernd Krueger, CC BY-SA 3.0 DE);
#   - jsb-chorales (J. S. Bach, public domain; all three of its splits).
# Never final-fantasy-piano or nottingham.
#
# Lyrebird's default preset (the network sized to the music: 3 x 256 for its ~4M tokens), seed 1,
# until early stopping ends it (PATIENCE epochs without a better validation loss; at most MAX_EPOCHS),
# exported without optimizer state (to build/base/base-export.lyrebird). The run is counted in
# epochs, not minutes, so the same build gives the same model on any machine, however fast.
# It takes hours on 2 cores: give --minutes M
# to stop after M minutes (the model is saved) and run the same command again to go on; it
# resumes by itself while build/base/base.lyrebird exists (delete that folder to start over).
#
#   packaging/make-base-model.sh [--minutes M] [--data SHARED_DATA] [--epochs MAX_EPOCHS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data"
epochs=60
patience=4
minutes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=(--minutes "$2"); shift 2 ;;
    --data) data=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    *) echo "make-base-model.sh: unknown option $1 (use --minutes M, --data DIR, --epochs N)" >&2; exit 2 ;;
  esac
done
for corpus in mutopia-keyboard piano-midi-de jsb-chorales; do
  [ -d "$data/$corpus" ] || { echo "make-base-model.sh: $data/$corpus is missing (give --data DIR)" >&2; exit 1; }
done

"$root/packaging/build.sh"
build_dir=${LYREBIRD_BUILD_DIR:-$root/build}
out="$build_dir/base"
corpus="$out/corpus"
mkdir -p "$out"

# The training folder: links to the files, named after their corpus and path.
python3 "$root/packaging/base_corpus.py" --data "$data" --demo "$root/resources/demo/corpus" \
  --out "$corpus" --attribution "$out/ATTRIBUTION.tsv"

resume=()
[ -f "$out/base.lyrebird" ] && resume=(--resume)
"$build_dir/app/cli/lyrebird-cli" train --data "$corpus" --out "$out/base.lyrebird" \
  --preset default --seed 1 --epochs "$epochs" --patience "$patience" \
  --log "$out/base-metrics.csv" "${minutes[@]}" "${resume[@]}" \
  --export "$out/base-export.lyrebird"
