#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (onnxruntime-node): litemp's reference oracle.
//
//   node tools/ort/run.js MODEL INDIR OUTDIR [--threads N] [--opt LEVEL]
//   node tools/ort/run.js --list FILE [--threads N] [--opt LEVEL]
//   node tools/ort/run.js --version     (prints ORT's version: a check that it loads)
//
// Tensor folder format (INDIR and OUTDIR alike): manifest.json
//   {"tensors": [{"name": "x", "dtype": "float32", "shape": [1, 3], "file": "0.bin"}, ...]}
// plus one raw little-endian row-major file per tensor. dtype is one of float32 float64
// float16 int8 uint8 int16 uint16 int32 uint32 int64 uint64 bool (bool: one byte, 0 or 1).
// INDIR names the model's inputs; OUTDIR receives every model output.
//
// --list FILE: one case per line, "MODEL<TAB>INDIR<TAB>OUTDIR", all run in this process (node
// start-up is the slow part). A failing case writes OUTDIR/error.txt and the rest go on.
// --threads N: intra-op threads (default 1, so results do not depend on the machine).
// --opt LEVEL: disabled | basic | extended | all (ORT's graph optimizations; default all).
// Exit status 1 with "error: ..." on stderr when a single case or the list itself fails.
'use strict';

const fs = require('fs');
const path = require('path');

const TYPED = {
  float32: Float32Array,
  float64: Float64Array,
  // ORT stores float16 as raw bits in a Uint16Array unless the runtime has Float16Array.
  float16: typeof Float16Array !== 'undefined' ? Float16Array : Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

function fail(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

function readTensors(dir, ort) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const feeds = {};
  for (const t of manifest.tensors) {
    const Ctor = TYPED[t.dtype];
    if (!Ctor) throw new Error(`input '${t.name}': unsupported dtype '${t.dtype}'`);
    const bytes = fs.readFileSync(path.join(dir, t.file));
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== count * Ctor.BYTES_PER_ELEMENT) {
      throw new Error(`input '${t.name}': ${t.file} has ${bytes.length} bytes, ` +
                      `expected ${count * Ctor.BYTES_PER_ELEMENT} for shape [${t.shape}]`);
    }
    // Copy into a fresh (aligned) ArrayBuffer: a Buffer's offset may not suit the typed array.
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    feeds[t.name] = new ort.Tensor(t.dtype, new Ctor(ab), t.shape);
  }
  return feeds;
}

function writeTensors(dir, results, names) {
  fs.mkdirSync(dir, { recursive: true });
  const tensors = [];
  names.forEach((name, i) => {
    const t = results[name];
    if (!TYPED[t.type]) throw new Error(`output '${name}': unsupported dtype '${t.type}'`);
    const file = `${i}.bin`;
    const d = t.data;
    fs.writeFileSync(path.join(dir, file), Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    tensors.push({ name, dtype: t.type, shape: Array.from(t.dims, Number), file });
  });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ tensors }));
}

async function runOne(ort, model, indir, outdir, options) {
  const session = await ort.InferenceSession.create(model, options);
  const feeds = readTensors(indir, ort);
  const results = await session.run(feeds);
  writeTensors(outdir, results, session.outputNames);
  if (session.release) await session.release();
}

async function main() {
  const args = process.argv.slice(2);
  let threads = 1;
  let opt = 'all';
  let list = null;
  let version = false;
  const pos = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--threads' && i + 1 < args.length) threads = parseInt(args[++i], 10);
    else if (args[i] === '--opt' && i + 1 < args.length) opt = args[++i];
    else if (args[i] === '--list' && i + 1 < args.length) list = args[++i];
    else if (args[i] === '--version') version = true;
    else if (args[i].startsWith('--')) fail(`unknown option '${args[i]}'`);
    else pos.push(args[i]);
  }
  if (!(threads >= 1)) fail('--threads needs a positive integer');
  if (!['disabled', 'basic', 'extended', 'all'].includes(opt)) fail(`bad --opt '${opt}'`);
  if (!version && list === null && pos.length !== 3) fail('usage: run.js MODEL INDIR OUTDIR [--threads N] | --list FILE');

  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    fail(`cannot load onnxruntime-node (run 'npm ci' in the repository root): ${e.message}`);
  }
  if (version) {
    process.stdout.write(`onnxruntime-node ${ort.env.versions.node}\n`);
    return;
  }
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: opt,
    logSeverityLevel: 3,
  };

  if (list === null) {
    try {
      await runOne(ort, pos[0], pos[1], pos[2], options);
    } catch (e) {
      fail(e.message);
    }
    return;
  }
  let lines;
  try {
    lines = fs.readFileSync(list, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch (e) {
    fail(`cannot read list: ${e.message}`);
  }
  for (const line of lines) {
    const [model, indir, outdir] = line.split('\t');
    try {
      if (!outdir) throw new Error(`bad list line '${line}' (want MODEL<TAB>INDIR<TAB>OUTDIR)`);
      await runOne(ort, model, indir, outdir, options);
    } catch (e) {
      fs.mkdirSync(outdir || '.', { recursive: true });
      fs.writeFileSync(path.join(outdir || '.', 'error.txt'), `${e.message}\n`);
    }
  }
}

main().catch((e) => fail(e.message));
