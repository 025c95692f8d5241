#!/usr/bin/env bash
# The sweep over MPI ranks on this machine, and on paper for larger jobs:
#  1. `litemp analyze` on MobileNetV2 (the README's data flags, K=32): one process with 2
#     threads against `mpirun -n 2` with 1 thread per rank, alternating, RUNS times each;
#     prints each run's sweep and total seconds (summary timings) and the ratio of medians.
#  2. bench/sweep_scaling_bench on MobileNetV2 (1 thread, K=32): its R=2 estimate next to
#     the measured R=2 sweep (checks the estimate), then on a generated 400-layer model:
#     estimated sweep wall time for R = 1, 2, 8, 32, 128, bytes per rank, scaling limits.
# Needs a build with MPI (scripts/setup.sh installs OpenMPI). Usage: bash bench/mpi_sweep.sh [RUNS=3]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SHARED=${LITEMP_SHARED:-../shared}
BIN=./build/litemp
ninja -C build litemp_cli bench/sweep_scaling_bench >/dev/null
command -v mpirun >/dev/null || { echo "error: mpirun not found (apt-get install openmpi-bin libopenmpi-dev)"; exit 1; }
MPIRUN=(mpirun -n 2 --oversubscribe)
[ "$(id -u)" -eq 0 ] && MPIRUN+=(--allow-run-as-root)
export OMP_WAIT_POLICY=passive

D=$SHARED/data/imagenet_sample
ARGS=(analyze "$SHARED/models/mobilenet_v2.onnx" --images "$D" --labels "$D/labels.csv" --label-offset 1
  --resize 256 --crop 224 --mean 0.5 --std 0.5 --sens 32 --json)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores," \
  "$(grep -qw avx512f /proc/cpuinfo && echo AVX-512 || echo AVX2)"
echo "== MobileNetV2 analyze, K=32: 1 process x 2 threads vs 2 ranks x 1 thread"
timing() { /usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings_s"]; print(t["sensitivity"], t["total"])' "$1"; }
: > "$TMP/one"
: > "$TMP/two"
for i in $(seq "$RUNS"); do
  $BIN "${ARGS[@]}" --threads 2 --out "$TMP/o1" > "$TMP/one.json" 2>/dev/null
  timing "$TMP/one.json" >> "$TMP/one"
  "${MPIRUN[@]}" $BIN "${ARGS[@]}" --threads 1 --out "$TMP/o2" > "$TMP/two.json" 2>/dev/null
  timing "$TMP/two.json" >> "$TMP/two"
  cmp -s "$TMP/o1/sensitivity.csv" "$TMP/o2/sensitivity.csv" || { echo "error: sensitivity.csv differs"; exit 1; }
  rm -rf "$TMP/o1" "$TMP/o2"
  echo "run $i: 1x2 threads sweep/total $(tail -1 "$TMP/one" | tr ' ' /) s; 2 ranks x 1 thread $(tail -1 "$TMP/two" | tr ' ' /) s"
done
/usr/bin/python3 - "$TMP/one" "$TMP/two" <<'EOF'
import statistics, sys
one = [list(map(float, l.split())) for l in open(sys.argv[1])]
two = [list(map(float, l.split())) for l in open(sys.argv[2])]
m1 = [statistics.median(c) for c in zip(*one)]
m2 = [statistics.median(c) for c in zip(*two)]
print(f"median sweep: 1x2 threads {m1[0]:.2f} s, 2 ranks {m2[0]:.2f} s: ratio {m2[0] / m1[0]:.3f} (target <= 1.15)")
print(f"median total: 1x2 threads {m1[1]:.2f} s, 2 ranks {m2[1]:.2f} s: ratio {m2[1] / m1[1]:.3f}")
print("outputs byte-identical in every run (sensitivity.csv compared)")
EOF

echo
echo "== estimate from measured per-layer costs, MobileNetV2 (K=32, 1 thread per rank)"
./build/bench/sweep_scaling_bench "$SHARED/models/mobilenet_v2.onnx" 32 1 64
echo
echo "== estimate, generated 400-layer residual CNN (K=8, 1 thread per rank)"
./build/bench/sweep_scaling_bench gen:400 8 1 16
