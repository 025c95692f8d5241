#!/usr/bin/env bash
# litemp vs ONNX Runtime 1.30 (onnxruntime-node) on the same model, batch sizes and threads,
# in one run. Usage: bench/compare_ort.sh [MODEL] [THREADS] [ITERS]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${LITEMP_SHARED:-../shared}
MODEL=${1:-$SHARED/models/mobilenet_v2.onnx}
THREADS=${2:-2}
ITERS=${3:-10}
# FP32 peak of the machine, GFLOP/s: measured by bench/peak_flops on THREADS threads (AVX-512 FMA
# under LITEMP_KERNELS=native on an AVX-512 CPU, else AVX2) unless LITEMP_PEAK_GFLOPS is set.
# LITEMP_KERNELS also chooses litemp's kernels here.
PEAK=${LITEMP_PEAK_GFLOPS:-$(./build/bench/peak_flops "$THREADS" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).gflops))')}
echo "FP32 peak: $PEAK GFLOP/s on $THREADS threads; litemp kernels: ${LITEMP_KERNELS:-portable}"
printf "%-8s %-6s %12s %12s %8s %10s %8s\n" model batch "litemp ms" "ORT ms" "ORT/lm" "litemp GF/s" "% peak"
for B in 1 32; do
  L=$(./build/litemp bench "$MODEL" --batch "$B" --iters "$ITERS" --threads "$THREADS" --json)
  O=$(node tools/ort/bench.js "$MODEL" --batch "$B" --iters "$ITERS" --threads "$THREADS")
  node -e '
    const l = JSON.parse(process.argv[1]), o = JSON.parse(process.argv[2]);
    const pct = 100 * l.gflops / Number(process.argv[5]);
    console.log([process.argv[3].split("/").pop().replace(".onnx","").slice(0,8).padEnd(8), String(process.argv[4]).padEnd(6),
      l.ms_per_batch.toFixed(2).padStart(12), o.ms_per_batch.toFixed(2).padStart(12),
      (o.ms_per_batch / l.ms_per_batch).toFixed(2).padStart(8), l.gflops.toFixed(1).padStart(10), pct.toFixed(0).padStart(8)].join(" "));
  ' "$L" "$O" "$MODEL" "$B" "$PEAK"
done
