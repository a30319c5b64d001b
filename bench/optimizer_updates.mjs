// One optimizer update over the reference MLP's 50,890 weights: kerasm's wasm kernels for Adadelta,
// Lion, Ftrl, Lamb and Adafactor (and Adam for scale; Lamb and Adafactor step each of the four
// weights, [784, 64], [64], [64, 10], [10], in its own call, as the SDK does) against tfjs-core 4.22's own optimizers where it has one
// (tf.train.adadelta, tf.train.adam) on tfjs-backend-wasm and tfjs-backend-cpu. Median of REPS
// timed blocks of CALLS updates each, after a warm-up, microseconds per update.
//
//   node bench/optimizer_updates.mjs [--calls 300] [--reps 7]
import { parseArgs } from 'node:util';
import { loadCore } from '@kerasm/core-wasm';
import { tf } from './suite/setup.mjs';

const { values } = parseArgs({ options: { calls: { type: 'string' }, reps: { type: 'string' } } });
const CALLS = Number(values.calls ?? 300);
const REPS = Number(values.reps ?? 7);
const SHAPES = [[784, 64], [64], [64, 10], [10]];
const N = 784 * 64 + 64 + 64 * 10 + 10;

function median(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timePerCall(step) {
  for (let i = 0; i < 20; i++) step();
  const blocks = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) step();
    blocks.push(((performance.now() - t0) * 1000) / CALLS);
  }
  return median(blocks);
}

const gradient = Float32Array.from({ length: N }, (_, i) => Math.sin(i * 0.37) * 0.01);

/** Calls step(size, byte offset, shape) for each weight of the MLP, in buffer order. */
function perWeight(step) {
  let at = 0;
  for (const shape of SHAPES) {
    const n = shape.reduce((a, b) => a * b, 1);
    step(n, at, shape);
    at += 4 * n;
  }
}

async function kerasmTimes() {
  const core = await loadCore();
  const buffer = (fill = 0) => {
    const ptr = core.malloc(4 * N);
    core.f32().fill(fill, ptr / 4, ptr / 4 + N);
    return ptr;
  };
  const [p, g] = [buffer(0.1), buffer()];
  core.f32().set(gradient, g / 4);
  const [s1, s2, s3] = [buffer(), buffer(), buffer(0.1)];
  return {
    adam: timePerCall(() => core.adamUpdate(p, g, s1, s2, N, 1e-3, 0.9, 0.999, 1e-7)),
    adadelta: timePerCall(() => core.adadeltaUpdate(p, g, s1, s2, N, 1, 0.95, 1e-7)),
    lion: timePerCall(() => core.lionUpdate(p, g, s1, N, 1e-4, 0.9, 0.99)),
    ftrl: timePerCall(() => core.ftrlUpdate(p, g, s3, s1, N, 0.05, 0.5, 0.001, 0, 0)),
    lamb: timePerCall(() => perWeight((n, at) => core.lambUpdate(p + at, g + at, s1 + at, s2 + at, n, 1e-3, 0.9, 0.999, 1e-7, 0.5, 0.5))),
    adafactor: timePerCall(() => {
      // r and c of the two kernels (784 + 64 rows, 64 + 10 columns) fit in the first state buffers.
      let [r, c] = [s1, s2];
      perWeight((n, at, shape) => {
        const [rows, cols] = shape.length === 2 ? shape : [1, n];
        core.adafactorUpdate(p + at, g + at, r, c, s3 + at, 1, rows, cols, shape.length === 2, 1e-3, 0.5, 1e-30, 1e-3, 1);
        if (shape.length === 2) [r, c] = [r + 4 * rows, c + 4 * cols];
      });
    }),
  };
}

async function tfjsTimes(backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const variable = tf.variable(tf.fill([N], 0.1));
  const grad = tf.tensor1d(gradient);
  const time = (optimizer) => {
    const t = timePerCall(() => {
      optimizer.applyGradients({ [variable.name]: grad });
      variable.dataSync(); // wait for the backend, as kerasm's synchronous kernel does
    });
    optimizer.dispose();
    return t;
  };
  return { adam: time(tf.train.adam(1e-3)), adadelta: time(tf.train.adadelta(1, 0.95, 1e-7)) };
}

const ours = await kerasmTimes();
const wasm = await tfjsTimes('wasm');
const cpu = await tfjsTimes('cpu');
const fmt = (v) => (v === undefined ? 'none' : `${v.toFixed(1)} µs`);
console.log(`| optimizer | kerasm wasm | tfjs-wasm | tfjs-cpu |\n| --- | --- | --- | --- |`);
for (const name of ['adam', 'adadelta', 'lion', 'ftrl', 'lamb', 'adafactor']) console.log(`| ${name} | ${fmt(ours[name])} | ${fmt(wasm[name])} | ${fmt(cpu[name])} |`);
