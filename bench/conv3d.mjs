// `node bench/conv3d.mjs`: training speed of a small 3-D convnet on 8×16×16×1 clips (Conv3D 8 →
// MaxPooling3D 2 → Conv3D 16 → Flatten → Dense 4 softmax), batch 16, Adam, sparse categorical
// cross-entropy: kerasm on its wasm core against tfjs-layers 4.22 on tfjs-backend-wasm and
// tfjs-backend-cpu, interleaved, medians of C3D_REPS (default 3) passes over C3D_SAMPLES (default
// 256; tfjs-cpu gets an eighth) samples. A library that cannot train the model shows its error.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.C3D_REPS ?? 3);
const samples = Number(process.env.C3D_SAMPLES ?? 256);
const batchSize = 16;
const shape = [8, 16, 16, 1];
const size = shape.reduce((a, b) => a * b, 1);

function layers(lib) {
  return [
    lib.layers.conv3d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: shape }),
    lib.layers.maxPooling3d({ poolSize: 2 }),
    lib.layers.conv3d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    lib.layers.flatten(),
    lib.layers.dense({ units: 4, activation: 'softmax' }),
  ];
}

// Deterministic values in [0, 1]: the speed does not depend on them.
const clips = Float32Array.from({ length: samples * size }, (_, i) => ((Math.imul(i + 1, 2654435761) >>> 0) % 1000) / 1000);
const labels = Float32Array.from({ length: samples }, (_, i) => i % 4);

async function kerasmPass() {
  await km.setBackend('wasm');
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = km.tensor(clips, [samples, ...shape]);
  const y = km.tensor(Int32Array.from(labels), [samples], 'int32');
  return kerasmEpoch(model, x, y, batchSize);
}

async function tfjsPass(backend) {
  await tf.setBackend(backend);
  const n = backend === 'cpu' ? samples / 8 : samples;
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return tfjsEpoch(model, tf.tensor(clips.subarray(0, n * size), [n, ...shape]), tf.tensor(labels.subarray(0, n), [n]), batchSize);
}

await sideBySide({ 'kerasm wasm': kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 1,
});
