// `node bench/conv_lstm.mjs`: ConvLSTM2D training speed, a next-frame-direction classifier
// (ConvLSTM2D(16 filters, 3×3, 'same') over 8 frames of 16×16×1 → GlobalAveragePooling2D →
// Dense(4, softmax), Adam, batch 16): kerasm on its wasm core against tfjs-layers 4.22 on
// tfjs-backend-wasm and tfjs-backend-cpu, interleaved, medians of CONV_LSTM_REPS (default 3)
// steady-state epochs over CONV_LSTM_SAMPLES (default 256) samples, each after a warm-up (tfjs-cpu,
// which takes minutes a batch here, gets one batch). tfjs-layers gets `recurrentInitializer: 'glorotUniform'`: its default
// Orthogonal needs tfjs' chained ops, which tfjs-core alone does not register.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.CONV_LSTM_REPS ?? 3);
const samples = Number(process.env.CONV_LSTM_SAMPLES ?? 256);
const [frames, size, filters, batchSize] = [8, 16, 16, 16];
const inputShape = [frames, size, size, 1];

const layers = (lib, extra = {}) => [
  lib.layers.convLstm2d({ filters, kernelSize: 3, padding: 'same', inputShape, ...extra }),
  lib.layers.globalAveragePooling2d({}),
  lib.layers.dense({ units: 4, activation: 'softmax' }),
];

// Deterministic frames and one-hot labels (the speed does not depend on what they hold).
const x = Float32Array.from({ length: samples * frames * size * size }, (_, i) => (Math.sin(i * 0.37) + 1) / 2);
const y = Float32Array.from({ length: samples * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0));

async function kerasmPass() {
  await km.setBackend('wasm');
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const [xs, ys] = [km.tensor(x, [samples, ...inputShape]), km.tensor(y, [samples, 4])];
  return kerasmEpoch(model, xs, ys, batchSize);
}

async function tfjsPass(backend) {
  await tf.setBackend(backend);
  const n = backend === 'cpu' ? batchSize : samples;
  const model = tfl.sequential({ layers: layers(tfl, { recurrentInitializer: 'glorotUniform' }) });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const [xs, ys] = [tf.tensor(x.subarray(0, n * frames * size * size), [n, ...inputShape]), tf.tensor(y.subarray(0, n * 4), [n, 4])];
  return tfjsEpoch(model, xs, ys, batchSize);
}

await sideBySide({ 'kerasm wasm': kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  label: 'convLstm2d', threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 1,
});
