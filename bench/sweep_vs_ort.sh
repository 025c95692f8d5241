#!/usr/bin/env bash
# The sensitivity sweep against its AIMET-style lower bound, in one run: litemp's fast sweep
# (K samples, every quantized layer) vs one full ONNX Runtime inference of the K samples per
# layer (ORT batch K, same threads), plus the floor of any exact sweep on this machine.
# Usage: bench/sweep_vs_ort.sh [MODEL] [K=32] [THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${LITEMP_SHARED:-../shared}
MODEL=${1:-$SHARED/models/mobilenet_v2.onnx}
K=${2:-32}
THREADS=${3:-2}
S=$(./build/bench/sensitivity_bench "$MODEL" "$K" "$THREADS" 64 512 0)
O=$(node tools/ort/bench.js "$MODEL" --batch "$K" --iters 10 --threads "$THREADS")
P=$(./build/bench/peak_flops "$THREADS")
F=$(./build/litemp bench "$MODEL" --batch "$K" --iters 10 --threads "$THREADS" --json)
echo "$S" | grep -E "^(layers|fast sweep:|downstream share)"
node -e '
  const s = process.argv[1], ort = JSON.parse(process.argv[2]), peak = JSON.parse(process.argv[3]).gflops;
  const lm = JSON.parse(process.argv[4]);
  const layers = Number(/^layers (\d+)/m.exec(s)[1]);
  const sweep = Number(/fast sweep:\s+([\d.]+) s wall/.exec(s)[1]);
  const cache = Number(/FP32 caching pass ([\d.]+) s/.exec(s)[1]);
  const share = Number(/downstream nodes hold ([\d.]+)%/.exec(s)[1]) / 100;
  const bound = layers * ort.ms_per_batch / 1000;
  console.log(`ORT batch ${lm.batch}: ${ort.ms_per_batch.toFixed(1)} ms; lower bound ${layers} x ORT = ${bound.toFixed(2)} s`);
  console.log(`fast sweep ${sweep.toFixed(2)} s: ${(bound / sweep).toFixed(2)}x faster than the bound`);
  // An exact sweep recomputes each layer`s downstream part: share x FLOPs per layer at best.
  const floor = layers * share * lm.flops_per_batch / (peak * 1e9) + cache;
  console.log(`FP32 peak ${peak.toFixed(0)} GFLOP/s (${JSON.parse(process.argv[3]).isa}); litemp FP32 batch ${lm.batch}: ${lm.ms_per_batch.toFixed(1)} ms ` +
              `(${(100 * lm.gflops / peak).toFixed(0)}% of peak)`);
  console.log(`an exact sweep at 100% of peak would take ${floor.toFixed(2)} s: at most ${(bound / floor).toFixed(2)}x`);
' "$S" "$O" "$P" "$F"
