// `node bench/focal_mlp.mjs`: training speed with Keras 3's categorical focal cross-entropy on real
// MNIST (Flatten → Dense(128, relu) → Dense(10, softmax), Adam, batch 64, one-hot targets): kerasm
// with 'categorical_focal_crossentropy' (its kernel fused with the softmax) and, for what the loss
// costs, with 'categorical_crossentropy'; tfjs-layers 4.22, which has no focal loss, with the same
// formula as a custom loss function (tf ops and autodiff, as a tfjs user would write it) on
// tfjs-backend-wasm and tfjs-backend-cpu. Interleaved medians of FOCAL_REPS (default 3) steady-state
// epochs over FOCAL_SAMPLES (default 8192) images; tfjs-cpu gets an eighth of the samples.
import { km, tf, tfl, useKerasm, useTfjs } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.FOCAL_REPS ?? 3);
const samples = Number(process.env.FOCAL_SAMPLES ?? 8192);
const batchSize = 64;

const layers = (lib) => [
  lib.layers.flatten({ inputShape: [28, 28] }),
  lib.layers.dense({ units: 128, activation: 'relu' }),
  lib.layers.dense({ units: 10, activation: 'softmax' }),
];

const { train } = await km.datasets.mnist.load({ trainSamples: samples });
const x = train.x.dataSync();
const oneHot = km.utils.toCategorical(train.y, 10).dataSync();

// Keras 3's categorical_focal_crossentropy (α 0.25, γ 2) in tf ops: normalise, clip, weigh.
function tfjsFocal(yTrue, yPred) {
  const q = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), 1e-7, 1 - 1e-7);
  return tf.sum(tf.mul(tf.mul(tf.square(tf.sub(1, q)), 0.25), tf.neg(tf.mul(yTrue, tf.log(q)))), -1);
}

async function kerasmPass(loss) {
  await useKerasm(1);
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss });
  return kerasmEpoch(model, km.tensor(x, [samples, 28, 28]), km.tensor(oneHot, [samples, 10]), batchSize);
}

async function tfjsPass(backend) {
  await useTfjs(backend);
  const n = backend === 'cpu' ? samples / 8 : samples;
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: tfjsFocal });
  return tfjsEpoch(model, tf.tensor(x.subarray(0, n * 784), [n, 28, 28]), tf.tensor(oneHot.subarray(0, n * 10), [n, 10]), batchSize);
}

await sideBySide({
  'kerasm wasm focal': () => kerasmPass('categorical_focal_crossentropy'),
  'kerasm wasm cross-entropy': () => kerasmPass('categorical_crossentropy'),
  'tfjs-wasm focal': () => tfjsPass('wasm'),
  'tfjs-cpu focal': () => tfjsPass('cpu'),
}, reps, { label: 'MLP with categorical focal cross-entropy', threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 1 });
