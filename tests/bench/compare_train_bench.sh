#!/usr/bin/env bash
# Runs `lyrebird-cli bench train` and the PyTorch yardstick (../shared/bench/ref_lstm_bench.py)
# on every combination of architecture, objective and input, alternating them so both see the
# same machine load, and prints one line per combination with the best of R runs each.
#
#   tests/bench/compare_train_bench.sh [build/app/cli/lyrebird-cli] [R] [extra flags, e.g. --hidden 512]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=${1:-$root/build/app/cli/lyrebird-cli}
repeats=${2:-2}
shift $(( $# > 2 ? 2 : $# ))
extra=("$@")
ref="$root/../shared/bench/ref_lstm_bench.py"
best() { python3 -c "import json,sys; print(max(json.loads(l)['targets_per_s'] for l in sys.stdin if l.startswith('{')))"; }
printf '%-8s %-5s %-7s %14s %14s %7s %8s\n' arch obj input lyrebird_t/s pytorch_t/s ratio gflops
for arch in single stacked; do
  for objective in last all; do
    for input in scalar embed; do
      flags=(--arch "$arch" --objective "$objective" --input "$input" --steps 3 --threads 1 "${extra[@]}")
      ours=""; theirs=""; gflops=""
      for _ in $(seq "$repeats"); do
        line=$("$cli" bench train "${flags[@]}")
        ours+="$line"$'\n'
        gflops=$(echo "$line" | python3 -c "import json,sys; d=json.load(sys.stdin); print(f\"{d['gflops']:.0f}/{d['gemm_peak_gflops']:.0f}\")")
        theirs+="$(/usr/bin/python3 "$ref" "${flags[@]}" 2>/dev/null)"$'\n'
      done
      o=$(echo "$ours" | best); t=$(echo "$theirs" | best)
      printf '%-8s %-5s %-7s %14.0f %14.0f %7.2f %8s\n' "$arch" "$objective" "$input" "$o" "$t" \
        "$(python3 -c "print($o/$t)")" "$gflops"
    done
  done
done
