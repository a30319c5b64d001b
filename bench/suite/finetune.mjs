// Fine-tuning on a frozen base: the Keras MNIST convnet with both convolutions frozen, only the
// Dense head training (Adam, batch 64), ms per trainOnBatch step. kerasm skips the backward pass of
// layers no trainable weight needs, as tfjs' tape does; the same model all trainable shows what
// freezing saves. tfjs-backend-wasm can run this one (it cannot train a convolution's kernel:
// "Kernel 'Conv2DBackpropFilter' not registered"), so it is the tfjs contender. One thread.
import { interleave, median } from './stats.mjs';
import { convnetLayers, km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const BATCH = 64;
const STEPS = 20;
const WARMUP = 3;

/** The convnet from `api` with its convolutions frozen (all of it trainable with `frozen` false). */
function convnet(api, frozen) {
  const layers = convnetLayers(api, { dropout: 0 });
  if (frozen) for (const layer of layers) if (layer.getClassName?.() === 'Conv2D' || layer.className === 'Conv2D') layer.trainable = false;
  return api.sequential({ layers });
}

function kerasmSteps(data, frozen) {
  km.utils.setRandomSeed(1);
  const model = convnet(km, frozen);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = km.tensor(data.x.subarray(0, BATCH * 784), [BATCH, 28, 28]);
  const y = km.tensor(data.y.subarray(0, BATCH), [BATCH], 'int32');
  return async () => model.trainOnBatch(x, y);
}

function tfjsSteps(data) {
  const model = convnet(tfl, true);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor(data.x.subarray(0, BATCH * 784), [BATCH, 28, 28]);
  const y = tf.tensor1d(data.y.subarray(0, BATCH), 'float32');
  return async () => model.trainOnBatch(x, y);
}

export async function finetuneSpeed({ repetitions }) {
  await useKerasm(1);
  await useTfjs('wasm');
  const { train } = await km.datasets.mnist.load();
  const data = { x: train.x.dataSync(), y: train.y.dataSync() };
  const steps = {
    'kerasm, convolutions frozen': kerasmSteps(data, true),
    'kerasm, all trainable': kerasmSteps(data, false),
    'tfjs-layers on tfjs-wasm, convolutions frozen': tfjsSteps(data),
  };
  const contenders = Object.fromEntries(Object.entries(steps).map(([name, step]) => [`${name} (ms per step)`, async () => {
    for (let i = 0; i < WARMUP; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await step();
    return (performance.now() - t0) / STEPS;
  }]));
  const runs = await interleave(contenders, repetitions);
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ms = (name) => medians[`${name} (ms per step)`];
  const ratios = {
    'kerasm / tfjs-wasm (convolutions frozen)': ms('kerasm, convolutions frozen') / ms('tfjs-layers on tfjs-wasm, convolutions frozen'),
    'kerasm frozen / all trainable': ms('kerasm, convolutions frozen') / ms('kerasm, all trainable'),
  };
  return { title: `Fine-tuning the MNIST convnet's Dense head on frozen convolutions, batch ${BATCH}, ${STEPS} steps per rep, one thread`, runs, medians, ratios };
}
