#!/usr/bin/env bash
# Measures data-parallel training on this machine: 1 process against 2 ranks on loopback, the
# same global batch, each for the same wall time, with 1 torch thread per process. Prints one
# JSON line per setting: training targets/s (the mean of the progress rows after the first),
# and, for 2 ranks, the time spent in all-reduce per step.
#
#   tests/bench/distributed_scaling.sh DATA_DIR [minutes per run, default 1] [extra train flags...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=${LYREBIRD_CLI:-$root/build/app/cli/lyrebird-cli}
data=${1:?give a folder of MIDI files}
minutes=${2:-1}
shift $(( $# > 2 ? 2 : $# ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--data "$data" --minutes "$minutes" --epochs 1000 --threads 1 --patience 0 "$@")
rate() { python3 - "$1" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['kind'] == 'batches'][1:]
print(sum(float(r['tokens_per_s']) for r in rows) / max(1, len(rows)))
PY
}
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for blas in 2 1; do
  # One process: OpenBLAS with $blas threads inside each matrix product.
  OPENBLAS_NUM_THREADS=$blas "$cli" train "${flags[@]}" --out "$work/one.lyrebird" --log "$work/one.csv" 2>/dev/null >/dev/null
  one=$(rate "$work/one.csv")
  echo "{\"ranks\": 1, \"openblas_threads\": $blas, \"targets_per_s\": $one}"
done
p=$(port)
for r in 1 0; do
  OPENBLAS_NUM_THREADS=1 "$cli" train "${flags[@]}" --out "$work/two-$r.lyrebird" --log "$work/two-$r.csv" \
    --world-size 2 --rank $r --master "127.0.0.1:$p" 2>"$work/rank$r.err" >/dev/null &
done
wait
two=$(rate "$work/two-0.csv")
allreduce=$(grep -o 'All-reduce: .*per step' "$work/rank0.err" || true)
echo "{\"ranks\": 2, \"openblas_threads\": 1, \"targets_per_s\": $two, \"allreduce\": \"$allreduce\"}"
