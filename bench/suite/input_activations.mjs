// Training with the activations whose gradient needs the pre-activation (gelu, swish, mish) against
// relu, which stays fused into the matMul: Dense 784→256 (activation) → Dense 10 softmax, one SGD
// step on a batch of 128, kerasm on one thread against tfjs-layers on tfjs-wasm.
import { interleave, median } from './stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const KINDS = ['relu', 'gelu', 'swish', 'mish'];
const [BATCH, INPUTS, HIDDEN, CLASSES, STEPS] = [128, 784, 256, 10, 40];

function build(api, kind) {
  const layers = [api.layers.dense({ units: HIDDEN, activation: kind, inputShape: [INPUTS] }), api.layers.dense({ units: CLASSES, activation: 'softmax' })];
  const model = api === km ? km.sequential(layers) : tfl.sequential({ layers });
  model.compile({ optimizer: api === km ? 'sgd' : tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

/** Milliseconds per trainOnBatch step, after a few warm-up steps. */
async function msPerStep(model, x, y) {
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) await model.trainOnBatch(x, y);
  return (performance.now() - t0) / STEPS;
}

export async function inputActivationsSpeed({ repetitions, log }) {
  await useKerasm(1);
  await useTfjs('wasm');
  const values = Float32Array.from({ length: BATCH * INPUTS }, (_, i) => Math.sin(i) * 2);
  const labels = Int32Array.from({ length: BATCH }, (_, i) => i % CLASSES);
  const kmX = km.tensor(values, [BATCH, INPUTS]), kmY = km.tensor(labels, [BATCH], 'int32');
  const tfX = tf.tensor(values, [BATCH, INPUTS]), tfY = tf.tensor(Float32Array.from(labels), [BATCH]);
  const contenders = {};
  for (const kind of KINDS) {
    const ours = build(km, kind), theirs = build(tfl, kind);
    contenders[`kerasm ${kind} (ms/step)`] = () => msPerStep(ours, kmX, kmY);
    contenders[`tfjs-wasm ${kind} (ms/step)`] = () => msPerStep(theirs, tfX, tfY);
  }
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = Object.fromEntries(KINDS.flatMap((kind) => [
    [`kerasm / tfjs-wasm (${kind})`, medians[`kerasm ${kind} (ms/step)`] / medians[`tfjs-wasm ${kind} (ms/step)`]],
    [`kerasm ${kind} / kerasm relu`, medians[`kerasm ${kind} (ms/step)`] / medians['kerasm relu (ms/step)']],
  ]));
  return { title: `Dense ${INPUTS}→${HIDDEN} (activation) → ${CLASSES} softmax, SGD step on ${BATCH} samples, one thread`, runs, medians, ratios };
}
