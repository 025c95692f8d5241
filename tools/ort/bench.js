#!/usr/bin/env node
// Times ONNX Runtime (onnxruntime-node) on seeded random inputs, like `litemp bench`.
//   node tools/ort/bench.js MODEL --batch N --iters N --threads N
// Prints {"ms_per_batch":..,"ms_min":..,"batch":..} (median of the timed iterations).
'use strict';
const ort = require('onnxruntime-node');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

(async () => {
  const model = process.argv[2];
  if (!model) {
    process.stderr.write('error: usage: bench.js MODEL [--batch N] [--iters N] [--threads N]\n');
    process.exit(1);
  }
  const batch = arg('--batch', 1), iters = arg('--iters', 10), threads = arg('--threads', 2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all'});
  const name = session.inputNames[0];
  // Input shape from the model metadata when available; symbolic dims become the batch.
  let dims = [batch, 3, 224, 224];
  const meta = session.inputMetadata && session.inputMetadata[0];
  if (meta && meta.shape) dims = meta.shape.map((d, i) => (i === 0 ? batch : (typeof d === 'number' ? d : 1)));
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = 1;
  for (let i = 0; i < n; ++i) { s = (s * 1103515245 + 12345) % 2147483648; data[i] = s / 1073741824 - 1; }
  const feeds = {[name]: new ort.Tensor('float32', data, dims)};
  for (let i = 0; i < 2; ++i) await session.run(feeds);
  const ms = [];
  for (let i = 0; i < iters; ++i) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ms_per_batch: ms[Math.floor(ms.length / 2)], ms_min: ms[0], batch}) + '\n');
})().catch((e) => { process.stderr.write(`error: ${e.message}\n`); process.exit(1); });
