#!/usr/bin/env bash
# Rebuilds resources/demo/demo.lyrebird, the model the app ships (the "bundled model"), from the
# licensed music in ../shared/data:
#   - every Mutopia keyboard piece (mutopia-keyboard/manifest.tsv: Public Domain, CC BY, CC BY-SA),
#     except the 48 pieces of resources/demo/corpus (matched by content), so that the demo corpus
#     stays music the bundled model has never learned and `evaluate` on it is honest;
#   - piano-midi-de (Bernd Krueger, CC BY-SA 3.0 DE);
#   - jsb-chorales (J. S. Bach, public domain; all three of its splits).
# Never final-fantasy-piano or nottingham. The list of the pieces, with their licences, goes to
# resources/demo/ATTRIBUTION.tsv.
#
# Lyrebird's default preset (the network sized to the music: 3 x 256 for its ~3.6M tokens),
# seed 1, for EPOCHS epochs (24: the shipped model; its validation loss gained under 0.005 nats
# in the last five, at a rate halved five times on plateaus), exported without optimizer state in
# the generator's precision, with its repeat setting measured on the same music (`train` ends with
# it, as `lyrebird-cli calibrate` does; the bundled model keeps 1.0: its takes already repeat about
# as much as that music). The run is counted in epochs, not minutes, so the same build gives
# the same model on any machine, however fast. It takes about 4 1/2 hours on 2 cores: give --minutes M
# to stop after M minutes in all (the model is saved) and run the same command again to go on; it
# resumes by itself while build/base/base.lyrebird exists (delete that folder to start over).
#
#   packaging/make-demo-model.sh [--minutes M] [--data SHARED_DATA] [--epochs EPOCHS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data"
epochs=24
patience=4
minutes=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=(--minutes "$2"); shift 2 ;;
    --data) data=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    *) echo "make-demo-model.sh: unknown option $1 (use --minutes M, --data DIR, --epochs N)" >&2; exit 2 ;;
  esac
done
for corpus in mutopia-keyboard piano-midi-de jsb-chorales; do
  [ -d "$data/$corpus" ] || { echo "make-demo-model.sh: $data/$corpus is missing (give --data DIR)" >&2; exit 1; }
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
  --export "$out/base-export.lyrebird" | tee "$out/train-result.txt"

# Only a finished run replaces the shipped model (all its epochs, or early stopping's end).
if grep -q "after $epochs epoch(s)\|^Stopped early" "$out/train-result.txt"; then
  cp "$out/base-export.lyrebird" "$root/resources/demo/demo.lyrebird"
  cp "$out/ATTRIBUTION.tsv" "$root/resources/demo/ATTRIBUTION.tsv"
  echo "make-demo-model.sh: resources/demo/demo.lyrebird and ATTRIBUTION.tsv written."
else
  echo "make-demo-model.sh: not finished ($epochs epochs); run the same command again to go on."
fi
