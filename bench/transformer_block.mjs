// `node bench/transformer_block.mjs`: training speed of Keras' "text classification with
// Transformer" model (Embedding + PositionEmbedding → MultiHeadAttention → Dropout → Add →
// LayerNormalization → Dense(relu) → Dense → Add → LayerNormalization → GlobalAveragePooling1D →
// Dense), sequences of 64 tokens, vocabulary 2000, 32-wide embeddings, 2 heads of keyDim 32,
// feed-forward 32, batch 32, Adam: kerasm on its wasm core and on tfjs-wasm through its
// TensorFlow.js backend, interleaved, medians of TRANSFORMER_REPS (default 3) passes over
// TRANSFORMER_SAMPLES (default 1024) samples. tfjs-layers 4.22 has no attention layer, so it
// cannot build this model: its column says so.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';

const reps = Number(process.env.TRANSFORMER_REPS ?? 3);
const samples = Number(process.env.TRANSFORMER_SAMPLES ?? 1024);
const [vocabulary, length, width, heads, feedForward, batchSize] = [2000, 64, 32, 2, 32, 32];

function model() {
  const tokens = km.input({ shape: [length] });
  const embedded = km.layers.embedding({ inputDim: vocabulary, outputDim: width }).apply(tokens);
  const x = km.layers.add().apply([embedded, km.layers.positionEmbedding({ sequenceLength: length }).apply(embedded)]);
  const attended = km.layers.dropout({ rate: 0.1 }).apply(km.layers.multiHeadAttention({ numHeads: heads, keyDim: width }).apply([x, x]));
  const h = km.layers.layerNormalization({ epsilon: 1e-6 }).apply(km.layers.add().apply([x, attended]));
  const ff = km.layers.dense({ units: width }).apply(km.layers.dense({ units: feedForward, activation: 'relu' }).apply(h));
  const out = km.layers.layerNormalization({ epsilon: 1e-6 }).apply(km.layers.add().apply([h, ff]));
  const y = km.layers.dense({ units: 1, activation: 'sigmoid' }).apply(km.layers.globalAveragePooling1d().apply(out));
  return km.model({ inputs: tokens, outputs: y });
}

// Random token ids; the label is whether the first token is in the upper half of the vocabulary.
const tokens = Int32Array.from({ length: samples * length }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 0) % vocabulary);
const labels = Float32Array.from({ length: samples }, (_, s) => (tokens[s * length] >= vocabulary / 2 ? 1 : 0));

async function kerasmPass(backend) {
  await km.setBackend(backend);
  km.utils.setRandomSeed(1);
  const m = model();
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const [x, y] = [km.tensor(tokens, [samples, length], 'int32'), km.tensor(labels, [samples, 1])];
  return kerasmEpoch(m, x, y, batchSize);
}

async function tfjsPass() {
  await tf.setBackend('wasm');
  if (typeof tfl.layers.multiHeadAttention !== 'function') return 'cannot build: tfjs-layers 4.22 has no attention layer';
  return 'unexpected: tfjs-layers has multiHeadAttention';
}

await sideBySide({ 'kerasm wasm': () => kerasmPass('wasm'), 'kerasm on tfjs-wasm': () => kerasmPass('tfjs-wasm'), 'tfjs-layers (tfjs-wasm)': tfjsPass }, reps, {
  threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 0,
});
