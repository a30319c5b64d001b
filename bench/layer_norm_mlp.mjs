// `node bench/layer_norm_mlp.mjs`: training speed of an MLP with LayerNormalization on real MNIST
// (Flatten → [Dense(128) → LayerNormalization → relu] × 2 → Dense(10, softmax), Adam, batch 64):
// kerasm on its wasm core against tfjs-layers 4.22 on tfjs-backend-wasm and tfjs-backend-cpu,
// interleaved, medians of LN_REPS (default 3) steady-state epochs over LN_SAMPLES (default 8192)
// images, each after a warm-up (tfjs-cpu gets an eighth of the samples). `LN_OFF=1` leaves the
// LayerNormalization layers out, to see what they cost in each library.
import { km, tf, tfl, useKerasm, useTfjs } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.LN_REPS ?? 3);
const samples = Number(process.env.LN_SAMPLES ?? 8192);
const batchSize = 64;
const normalize = process.env.LN_OFF !== '1';

const layers = (lib) => [
  lib.layers.flatten({ inputShape: [28, 28] }),
  ...[0, 1].flatMap(() => [lib.layers.dense({ units: 128 }), ...(normalize ? [lib.layers.layerNormalization()] : []), lib.layers.activation({ activation: 'relu' })]),
  lib.layers.dense({ units: 10, activation: 'softmax' }),
];

const { train } = await km.datasets.mnist.load();
const x = train.x.dataSync().subarray(0, samples * 784);
const y = train.y.dataSync().subarray(0, samples);

async function kerasmPass() {
  await useKerasm(1);
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const [xs, ys] = [km.tensor(x, [samples, 28, 28]), km.tensor(y, [samples])];
  return kerasmEpoch(model, xs, ys, batchSize);
}

async function tfjsPass(backend) {
  await useTfjs(backend);
  const n = backend === 'cpu' ? samples / 8 : samples;
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const [xs, ys] = [tf.tensor(x.subarray(0, n * 784), [n, 28, 28]), tf.tensor(Float32Array.from(y.subarray(0, n)), [n])];
  return tfjsEpoch(model, xs, ys, batchSize);
}

await sideBySide({ 'kerasm wasm': kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  label: normalize ? 'MLP with LayerNormalization' : 'the same MLP without LayerNormalization', threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 1,
});
