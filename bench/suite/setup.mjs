// What every section needs: kerasm, tfjs-core + layers with the wasm and cpu backends, MNIST,
// and the reference MLP built the same way in both libraries.
import os from 'node:os';
import v8 from 'node:v8';

// Before any wasm compiles: Node 20 validates relaxed SIMD only behind this flag.
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

export const km = await import('@kerasm/sdk');
export const tf = await import('@tensorflow/tfjs-core');
export const tfl = await import('@tensorflow/tfjs-layers');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-wasm');

/** Logical cores: kerasm's "all threads" count. */
export const CORES = os.availableParallelism();

/** The Keras MNIST reference MLP in kerasm, compiled with Adam. */
export function kerasmMlp(seed = 1) {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** The same model in tfjs-layers, on tfjs' active backend. */
export function tfjsMlp() {
  const model = tfl.sequential({ layers: [
    tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * The layers of the Keras MNIST convnet (`kerasm train --model cnn`) from `api` (kerasm or
 * tfjs-layers): Conv2D 32 3x3 relu, MaxPool 2, Conv2D 64 3x3 relu, MaxPool 2, Flatten,
 * Dropout (0.5 unless `dropout` says otherwise; 0 leaves it out), Dense 10 softmax.
 */
export function convnetLayers(api, { dropout = 0.5 } = {}) {
  return [
    api.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    api.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    api.layers.maxPooling2d({ poolSize: 2 }),
    api.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    api.layers.maxPooling2d({ poolSize: 2 }),
    api.layers.flatten(),
    ...(dropout > 0 ? [api.layers.dropout({ rate: dropout })] : []),
    api.layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

/** Switches tfjs to 'wasm' or 'cpu' and waits until it is ready. */
export async function useTfjs(backend) {
  await tf.setBackend(backend);
  await tf.ready();
}

/** Switches kerasm to `backend` ('wasm' by default, then on `threads` threads) and waits until it is ready. */
export async function useKerasm(threads, backend = 'wasm') {
  if (backend === 'wasm') await km.setThreads(threads);
  await km.setBackend(backend);
  await km.ready();
}
