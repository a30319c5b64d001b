// Fine-tuning on a frozen base: the Keras MNIST convnet with both convolutions frozen, only the
// Dense head training (Adam, batch 64), ms per trainOnBatch step. kerasm skips the backward pass of
// layers no trainable weight needs, as tfjs' tape does; the same model all trainable shows what
// freezing saves. tfjs-backend-wasm can run this one (it cannot train a convolution's kernel:
// "Kernel 'Conv2DBackpropFilter' not registered"), so it is the tfjs contender. One thread.
// The second section freezes a depthwise-separable block in the middle of a model instead, where
// the frozen layers still pass the gradient on to a trainable stem.
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

/** Times each step function (ms per step over STEPS steps after WARMUP), interleaved over `repetitions`. */
async function timeSteps(steps, repetitions) {
  const contenders = Object.fromEntries(Object.entries(steps).map(([name, step]) => [`${name} (ms per step)`, async () => {
    for (let i = 0; i < WARMUP; i++) await step();
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) await step();
    return (performance.now() - t0) / STEPS;
  }]));
  const runs = await interleave(contenders, repetitions);
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  return { runs, medians, ms: (name) => medians[`${name} (ms per step)`] };
}

export async function finetuneSpeed({ repetitions }) {
  await useKerasm(1);
  await useTfjs('wasm');
  const { train } = await km.datasets.mnist.load();
  const data = { x: train.x.dataSync(), y: train.y.dataSync() };
  const { runs, medians, ms } = await timeSteps({
    'kerasm, convolutions frozen': kerasmSteps(data, true),
    'kerasm, all trainable': kerasmSteps(data, false),
    'tfjs-layers on tfjs-wasm, convolutions frozen': tfjsSteps(data),
  }, repetitions);
  const ratios = {
    'kerasm / tfjs-wasm (convolutions frozen)': ms('kerasm, convolutions frozen') / ms('tfjs-layers on tfjs-wasm, convolutions frozen'),
    'kerasm frozen / all trainable': ms('kerasm, convolutions frozen') / ms('kerasm, all trainable'),
  };
  return { title: `Fine-tuning the MNIST convnet's Dense head on frozen convolutions, batch ${BATCH}, ${STEPS} steps per rep, one thread`, runs, medians, ratios };
}

/**
 * A MobileNet-style block (DepthwiseConv2D 3x3, BatchNormalization, relu, pointwise Conv2D 1x1)
 * frozen between a trainable stem convolution and a trainable Dense head, from `api`: the gradient
 * still flows through the frozen block to the stem, so each frozen layer computes its input
 * gradient but no weight gradient.
 */
function depthwiseBlockModel(api, frozen) {
  const block = [
    api.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }),
    api.layers.batchNormalization(),
    api.layers.activation({ activation: 'relu' }),
    api.layers.conv2d({ filters: 64, kernelSize: 1, activation: 'relu' }),
  ];
  if (frozen) for (const layer of block) layer.trainable = false;
  return api.sequential({
    layers: [
      api.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
      api.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, activation: 'relu' }),
      ...block,
      api.layers.globalAveragePooling2d({}),
      api.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function depthwiseSteps(api, tensors, frozen) {
  if (api === km) km.utils.setRandomSeed(1);
  const model = depthwiseBlockModel(api, frozen);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const [x, y] = tensors();
  return async () => model.trainOnBatch(x, y);
}

// tfjs-backend-wasm has no DepthwiseConv2dNativeBackpropInput kernel, so tfjs-cpu is the tfjs contender.
export async function depthwiseFinetuneSpeed({ repetitions }) {
  await useKerasm(1);
  await useTfjs('cpu');
  const { train } = await km.datasets.mnist.load();
  const x = train.x.dataSync().subarray(0, BATCH * 784);
  const y = train.y.dataSync().subarray(0, BATCH);
  const kerasmData = () => [km.tensor(x, [BATCH, 28, 28]), km.tensor(y, [BATCH], 'int32')];
  const tfjsData = () => [tf.tensor(x, [BATCH, 28, 28]), tf.tensor1d(y, 'float32')];
  const { runs, medians, ms } = await timeSteps({
    'kerasm, block frozen': depthwiseSteps(km, kerasmData, true),
    'kerasm, all trainable': depthwiseSteps(km, kerasmData, false),
    'tfjs-layers on tfjs-cpu, block frozen': depthwiseSteps(tfl, tfjsData, true),
  }, repetitions);
  const ratios = {
    'kerasm / tfjs-cpu (block frozen)': ms('kerasm, block frozen') / ms('tfjs-layers on tfjs-cpu, block frozen'),
    'kerasm frozen / all trainable': ms('kerasm, block frozen') / ms('kerasm, all trainable'),
  };
  return { title: `A frozen depthwise-separable block between a trainable stem and head (MNIST, batch ${BATCH}), ${STEPS} steps per rep, one thread`, runs, medians, ratios };
}
