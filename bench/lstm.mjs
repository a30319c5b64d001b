// `node bench/lstm.mjs`: recurrent training speed, a time-series forecaster (LSTM(64) over 50 steps
// of 8 features → Dense(1), MSE, Adam, batch 32; `RNN_LAYER=gru`, `simpleRNN` or `rnn` (over an lstmCell) for the others,
// `RNN_BIDIRECTIONAL=1` for Bidirectional around it, `RNN_DROPOUT=0.2` for that dropout and recurrentDropout in both libraries): kerasm on its wasm core against tfjs-layers 4.22 on
// tfjs-backend-wasm and tfjs-backend-cpu, interleaved, medians of LSTM_REPS (default 3) steady-state
// epochs over LSTM_SAMPLES (default 2048) samples, each after a warm-up. tfjs-layers gets
// `recurrentInitializer: 'glorotUniform'`: its default Orthogonal needs tfjs' chained ops, which
// tfjs-core alone does not register (the initializer does not change the speed).
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.LSTM_REPS ?? 3);
const samples = Number(process.env.LSTM_SAMPLES ?? 2048);
const [steps, features, units, batchSize] = [50, 8, 64, 32];

const layer = process.env.RNN_LAYER ?? 'lstm';
// `RNN_BIDIRECTIONAL=1` wraps the layer in Bidirectional (concat): twice the recurrent work per sample.
const bidirectional = process.env.RNN_BIDIRECTIONAL === '1';
// `RNN_LAYER=rnn` runs the generic RNN layer over an LSTM cell (the same math as `lstm`).
const make = (lib, args) => (layer === 'rnn' ? lib.layers.rnn({ cell: lib.layers.lstmCell({ units, ...args.cell }), ...args.layer }) : lib.layers[layer]({ units, ...args.cell, ...args.layer }));
const recurrent = (lib, extra) =>
  bidirectional ? lib.layers.bidirectional({ layer: make(lib, { cell: extra, layer: {} }), inputShape: [steps, features] }) : make(lib, { cell: extra, layer: { inputShape: [steps, features] } });
const kerasmBackend = process.env.RNN_KERASM_BACKEND ?? 'wasm';
const rate = Number(process.env.RNN_DROPOUT ?? 0);
const rates = rate > 0 ? { dropout: rate, recurrentDropout: rate } : {};
const layers = (lib, extra = {}) => [recurrent(lib, { ...rates, ...extra }), lib.layers.dense({ units: 1 })];

// Sums of sines: the target is the mean of the next step's features.
const x = Float32Array.from({ length: samples * steps * features }, (_, i) => Math.sin(i * 0.013 + (i % features)));
const y = Float32Array.from({ length: samples }, (_, s) => Math.sin((s + 1) * steps * features * 0.013));

// tfjs' pure-JavaScript cpu backend trains on an eighth of the samples, to keep its epochs short.
const samplesOn = (backend) => (backend.endsWith('cpu') ? samples / 8 : samples);

async function kerasmPass() {
  await km.setBackend(kerasmBackend);
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const n = samplesOn(kerasmBackend);
  const [xs, ys] = [km.tensor(x.subarray(0, n * steps * features), [n, steps, features]), km.tensor(y.subarray(0, n), [n, 1])];
  return kerasmEpoch(model, xs, ys, batchSize);
}

async function tfjsPass(backend) {
  await tf.setBackend(backend);
  const n = samplesOn(backend);
  const model = tfl.sequential({ layers: layers(tfl, { recurrentInitializer: 'glorotUniform' }) });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const [xs, ys] = [tf.tensor(x.subarray(0, n * steps * features), [n, steps, features]), tf.tensor(y.subarray(0, n), [n, 1])];
  return tfjsEpoch(model, xs, ys, batchSize);
}

await sideBySide({ [`kerasm ${kerasmBackend}`]: kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  label: `${bidirectional ? `bidirectional(${layer})` : layer}${rate > 0 ? `, dropout ${rate}` : ''}`, threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 1,
});
