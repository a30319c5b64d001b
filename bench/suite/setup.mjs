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

/** Switches tfjs to 'wasm' or 'cpu' and waits until it is ready. */
export async function useTfjs(backend) {
  await tf.setBackend(backend);
  await tf.ready();
}

/** Switches kerasm's wasm backend to `threads` threads. */
export async function useKerasmThreads(threads) {
  await km.setThreads(threads);
  await km.ready();
}
