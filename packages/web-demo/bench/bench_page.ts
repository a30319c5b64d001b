// In-browser training speed: the Keras MNIST reference MLP (784-64-10, Adam, batch 64), one
// steady-state epoch (the second of a 2-epoch fit) on the page's main thread, kerasm on its WASM
// core and tfjs-layers on tfjs-backend-wasm and -cpu, interleaved. Results land in window.benchResult.
import * as km from '@kerasm/sdk';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const params = new URLSearchParams(location.search);
const samples = Number(params.get('samples') ?? 10000);
const repetitions = Number(params.get('reps') ?? 3);
const logElement = document.getElementById('log')!;
const log = (line: string) => (logElement.textContent += `\n${line}`);

type Hooks = { onEpochBegin: () => void; onEpochEnd: () => void };

/** Runs a 2-epoch fit and returns samples/s of its second epoch. */
async function secondEpochRate(fit: (callbacks: Hooks) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fit({ onEpochBegin: () => void times.push(performance.now()), onEpochEnd: () => void times.push(performance.now() - times.pop()!) });
  return samples / (times[times.length - 1] / 1000);
}

async function kerasmRate(x: km.Tensor, y: km.Tensor): Promise<number> {
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return secondEpochRate((callbacks) => model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, callbacks }));
}

async function tfjsRate(backend: string, xValues: Float32Array, yValues: Int32Array): Promise<number> {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.tensor2d(xValues, [samples, 784]);
  const y = tf.tensor1d(Float32Array.from(yValues), 'float32');
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tfl.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const rate = await secondEpochRate((callbacks) => model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, callbacks }));
  tf.dispose([x, y]);
  model.dispose();
  return rate;
}

async function main(): Promise<void> {
  setWasmPaths(new URL('/tfjs-wasm/', location.href).href);
  const { train } = await km.datasets.mnist.load({ url: new URL('/mnist/', location.href).href, gzip: true, trainSamples: samples });
  await km.ready();
  const runs: Record<string, number[]> = { kerasm: [], 'tfjs-wasm': [], 'tfjs-cpu': [] };
  for (let r = 0; r < repetitions; r++) {
    runs.kerasm.push(await kerasmRate(train.x, train.y));
    runs['tfjs-wasm'].push(await tfjsRate('wasm', train.x.dataSync(), train.y.dataSync()));
    runs['tfjs-cpu'].push(await tfjsRate('cpu', train.x.dataSync(), train.y.dataSync()));
    log(`rep ${r + 1}: ${Object.entries(runs).map(([k, v]) => `${k} ${Math.round(v[r])}`).join(', ')} samples/s`);
  }
  await tf.setBackend('wasm');
  const tfjsWasmSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const tfjsWasmThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const result = { samples, repetitions, kernels: km.getBackendInfo().kernels, tfjsWasmSimd, tfjsWasmThreads, crossOriginIsolated, userAgent: navigator.userAgent, runs };
  (window as unknown as { benchResult: unknown }).benchResult = result;
  log(JSON.stringify(result));
}

main().catch((err: Error) => {
  (window as unknown as { benchResult: unknown }).benchResult = { error: err.stack ?? err.message };
  log(`failed: ${err.stack ?? err.message}`);
});
