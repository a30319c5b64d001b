// `node bench/conv_autoencoder.mjs`: training speed of a small convolutional autoencoder on 28×28×1
// images (Conv2D 16 stride 2 → SeparableConv2D 16 → Conv2DTranspose 16 stride 2 → Conv2D 1 sigmoid),
// batch 32, Adam, mean squared error: kerasm on its wasm core against tfjs-layers 4.22 on
// tfjs-backend-cpu (tfjs-backend-wasm cannot train convolutions: it is tried and its error shown),
// interleaved, medians of AE_REPS (default 3) passes over AE_SAMPLES (default 1024; tfjs-cpu gets a
// sixteenth) samples. Each pass prints as it ends.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.AE_REPS ?? 3);
const samples = Number(process.env.AE_SAMPLES ?? 1024);
const batchSize = 32;

function layers(lib) {
  return [
    lib.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
    lib.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    lib.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
    lib.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
  ];
}

// Deterministic blobs in [0, 1]: the speed does not depend on the pixel values.
const images = Float32Array.from({ length: samples * 784 }, (_, i) => ((Math.imul(i + 1, 2654435761) >>> 0) % 1000) / 1000);

async function kerasmPass() {
  await km.setBackend('wasm');
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = km.tensor(images, [samples, 28, 28, 1]);
  return kerasmEpoch(model, x, x, batchSize);
}

async function tfjsPass(backend) {
  await tf.setBackend(backend);
  const n = backend === 'cpu' ? samples / 16 : samples;
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tf.tensor(images.subarray(0, n * 784), [n, 28, 28, 1]);
  return tfjsEpoch(model, x, x, batchSize);
}

await sideBySide({ 'kerasm wasm': kerasmPass, 'tfjs-wasm': () => tfjsPass('wasm'), 'tfjs-cpu': () => tfjsPass('cpu') }, reps, {
  threads: () => km.getBackendInfo().threads ?? 1, ratioDigits: 0,
});
