// Where a training step's time goes on the wasm backend: wraps every kernel method of
// @kerasm/core-wasm's Core with a timer, trains the reference MLP and the Keras MNIST convnet
// (batch 64) for a few hundred steps on 1 and 2 threads, and prints each kernel's share of the
// step. "outside kernels" is the rest: JavaScript around the calls (batch gathering, the
// engine). Times are wall-clock on the calling thread, so a threaded gemm counts its wait.
//
//   node bench/profile_kernels.mjs [--steps 200] [--threads 1,2] [--only mlp,cnn]
import { parseArgs } from 'node:util';
import { Core } from '@kerasm/core-wasm';
import { convnetLayers, kerasmMlp, km, useKerasm } from './suite/setup.mjs';

const { values } = parseArgs({ options: { steps: { type: 'string' }, threads: { type: 'string' }, only: { type: 'string' } } });
const STEPS = Number(values.steps ?? 200);
const THREADS = (values.threads ?? '1,2').split(',').map(Number);
const MODELS = (values.only ?? 'mlp,cnn').split(',');
const BATCH = 64;
const WARMUP_STEPS = 10;

// Not kernels: buffer management and views (cheap, called constantly), and split, which wraps the kernels.
const NOT_KERNELS = new Set(['constructor', 'split', 'malloc', 'free', 'f32', 'i32', 'byteLength', 'allocatedBytes', 'attachThreadPool', 'dispose']);
const kernelNames = Object.getOwnPropertyNames(Core.prototype).filter((name) => !NOT_KERNELS.has(name) && typeof Object.getOwnPropertyDescriptor(Core.prototype, name).value === 'function');

/** Wraps Core's kernel methods; returns the per-kernel totals (ms, calls) and an unwrap function. */
function instrument() {
  const totals = new Map();
  const originals = new Map();
  for (const name of kernelNames) {
    const original = Core.prototype[name];
    originals.set(name, original);
    const entry = { ms: 0, calls: 0 };
    totals.set(name, entry);
    Core.prototype[name] = function timed(...args) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        entry.ms += performance.now() - t0;
        entry.calls++;
      }
    };
  }
  return { totals, restore: () => originals.forEach((fn, name) => { Core.prototype[name] = fn; }) };
}

function buildModel(name) {
  if (name === 'mlp') return kerasmMlp();
  km.utils.setRandomSeed(1);
  const model = km.sequential(convnetLayers(km));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

async function profile(name, threads, train) {
  await useKerasm(threads);
  const model = buildModel(name);
  const warm = WARMUP_STEPS * BATCH;
  await model.fit(train.x.slice(0, warm), train.y.slice(0, warm), { epochs: 1, batchSize: BATCH, verbose: 0 });
  const x = train.x.slice(warm, warm + STEPS * BATCH), y = train.y.slice(warm, warm + STEPS * BATCH);
  const { totals, restore } = instrument();
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const totalMs = performance.now() - t0;
  restore();
  model.dispose();
  const rows = [...totals].filter(([, e]) => e.calls > 0).sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`\n${name}, ${threads} thread(s): ${(totalMs / STEPS).toFixed(3)} ms/step over ${STEPS} steps of batch ${BATCH}`);
  console.log('  kernel                      ms/step   share  calls/step');
  for (const [kernel, e] of [...rows, ['(outside kernels)', { ms: totalMs - inKernels, calls: 0 }]]) {
    console.log(`  ${kernel.padEnd(26)} ${(e.ms / STEPS).toFixed(3).padStart(8)} ${((100 * e.ms) / totalMs).toFixed(1).padStart(6)} % ${(e.calls / STEPS).toFixed(1).padStart(9)}`);
  }
}

const { train } = await km.datasets.mnist.load();
for (const name of MODELS) for (const threads of THREADS) await profile(name, threads, train);
