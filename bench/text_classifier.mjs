// `node bench/text_classifier.mjs`: training speed of Keras' "text classification from scratch"
// model (Embedding → Conv1D → Conv1D → GlobalMaxPooling1D → Dense), scaled to vocabulary 2000,
// sequences of 100 tokens, 32-wide embeddings and filters, batch 32, Adam: kerasm on its wasm core
// against tfjs-layers 4.22 on tfjs-backend-wasm and tfjs-backend-cpu, interleaved, medians of
// TEXT_REPS (default 3) passes over TEXT_SAMPLES (default 2048; tfjs-cpu gets a sixteenth) samples.
// Each pass prints as it ends.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.TEXT_REPS ?? 3);
const samples = Number(process.env.TEXT_SAMPLES ?? 2048);
const [vocabulary, length, width, batchSize] = [2000, 100, 32, 32];

function layers(lib) {
  return [
    lib.layers.embedding({ inputDim: vocabulary, outputDim: width, inputShape: [length] }),
    lib.layers.conv1d({ filters: width, kernelSize: 7, strides: 3, activation: 'relu' }),
    lib.layers.conv1d({ filters: width, kernelSize: 7, strides: 3, activation: 'relu' }),
    lib.layers.globalMaxPooling1d(),
    lib.layers.dense({ units: 1, activation: 'sigmoid' }),
  ];
}

// Random token ids; the label is whether the first token is in the upper half of the vocabulary.
const tokens = Int32Array.from({ length: samples * length }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 0) % vocabulary);
const labels = Float32Array.from({ length: samples }, (_, s) => (tokens[s * length] >= vocabulary / 2 ? 1 : 0));

async function kerasmPass() {
  await km.setBackend('wasm');
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const [x, y] = [km.tensor(tokens, [samples, length], 'int32'), km.tensor(labels, [samples, 1])];
  return kerasmEpoch(model, x, y, batchSize);
}

async function tfjsPass(backend) {
  await tf.setBackend(backend);
  const n = backend === 'cpu' ? samples / 16 : samples;
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const [x, y] = [tf.tensor(tokens.subarray(0, n * length), [n, length], 'int32'), tf.tensor(labels.subarray(0, n), [n, 1])];
  return tfjsEpoch(model, x, y, batchSize);
}

await sideBySide({ 'kerasm wasm': kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 0,
});
