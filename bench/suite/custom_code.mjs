// The reference MLP (784-64-10, Adam, batch 64) trained with user code written the tfjs way: its
// loss as a function of tensors (cross-entropy of the probabilities against one-hot targets), and
// then also its hidden layer as a custom layer whose call() is matMul, add, relu. kerasm runs both on
// the host with km ops and its gradient tape; tfjs-layers 4.22 on tfjs-wasm runs the same functions
// with tf ops and its autodiff. Against kerasm's built-in loss and Dense, what the host path costs.
// Then the same model trained by a written-out loop, optimizer.minimize over model.apply (Keras'
// GradientTape loop), in both libraries, and in kerasm by fit over a km.Model's own trainStep
// (Keras' custom train_step), which tfjs does not have.
import { interleave, median } from './stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const BATCH = 64;
const STEPS = 150;
const WARMUP_STEPS = 10;
const EPS = 1e-7;

const kmCrossEntropy = (yTrue, yPred) => km.neg(km.sum(km.mul(yTrue, km.log(km.clipByValue(yPred, EPS, 1 - EPS))), -1));
const tfCrossEntropy = (yTrue, yPred) => tf.neg(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(yPred, EPS, 1 - EPS))), -1));

/** Dense(64, relu) as tfjs' guide writes a custom layer, on kerasm's CallLayer. */
class HostDense extends km.layers.CallLayer {
  className = 'HostDense';
  #kernel;
  #bias;
  constructor(args) {
    super(args, 'HostDense');
  }
  computeOutputShape() {
    return [64];
  }
  build([shape]) {
    this.#kernel = this.addWeight('kernel', [shape[0], 64], 'glorotUniform');
    this.#bias = this.addWeight('bias', [64], 'zeros');
  }
  call(x) {
    return km.relu(x.matMul(this.#kernel.read()).add(this.#bias.read()));
  }
}

/** Milliseconds per training step of `fit` on the compiled model `made()` returns. */
async function kerasmFitSteps(data, made) {
  await useKerasm(1);
  km.utils.setRandomSeed(1);
  const model = made();
  const n = (WARMUP_STEPS + STEPS) * BATCH;
  const x = km.tensor(data.x.subarray(0, n * 784), [n, 784]);
  const y = km.tensor(data.oneHot.subarray(0, n * 10), [n, 10]);
  await model.fit(x.slice(0, WARMUP_STEPS * BATCH), y.slice(0, WARMUP_STEPS * BATCH), { epochs: 1, batchSize: BATCH, verbose: 0 });
  const t0 = performance.now();
  await model.fit(x.slice(WARMUP_STEPS * BATCH), y.slice(WARMUP_STEPS * BATCH), { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false });
  const ms = (performance.now() - t0) / STEPS;
  model.dispose();
  return ms;
}

/** Milliseconds per training step of a kerasm MLP whose hidden layer is `hidden()`, compiled with `loss`. */
function kerasmSteps(data, loss, hidden) {
  return kerasmFitSteps(data, () => {
    const model = km.sequential([hidden(), km.layers.dense({ units: 10, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss });
    return model;
  });
}

/** Milliseconds per training step of the tfjs-layers MLP on tfjs-wasm with the loss function. */
async function tfjsSteps(data) {
  await useTfjs('wasm');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tfl.layers.dense({ units: 10, activation: 'softmax' })] });
  model.compile({ optimizer: 'adam', loss: tfCrossEntropy });
  const n = (WARMUP_STEPS + STEPS) * BATCH;
  const x = tf.tensor2d(data.x.subarray(0, n * 784), [n, 784]);
  const y = tf.tensor2d(data.oneHot.subarray(0, n * 10), [n, 10]);
  const [wx, wy, tx, ty] = [tf.slice(x, 0, WARMUP_STEPS * BATCH), tf.slice(y, 0, WARMUP_STEPS * BATCH), tf.slice(x, WARMUP_STEPS * BATCH), tf.slice(y, WARMUP_STEPS * BATCH)];
  await model.fit(wx, wy, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const t0 = performance.now();
  await model.fit(tx, ty, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false });
  const ms = (performance.now() - t0) / STEPS;
  tf.dispose([x, y, wx, wy, tx, ty]);
  model.dispose();
  return ms;
}

/** The batches of the loop runs: x and one-hot y for step `b`. */
function loopBatch(data, b) {
  return [data.x.subarray(b * BATCH * 784, (b + 1) * BATCH * 784), data.oneHot.subarray(b * BATCH * 10, (b + 1) * BATCH * 10)];
}

/** Milliseconds per call of `step(b)` over the timed batches, after the warm-up ones. */
function msPerStep(step) {
  for (let b = 0; b < WARMUP_STEPS; b++) step(b);
  const t0 = performance.now();
  for (let b = WARMUP_STEPS; b < WARMUP_STEPS + STEPS; b++) step(b);
  return (performance.now() - t0) / STEPS;
}

/** The reference MLP as a km.Model whose trainStep is the loop's step. */
class SteppedMLP extends km.Model {
  hidden = km.layers.dense({ units: 64, activation: 'relu' });
  out = km.layers.dense({ units: 10, activation: 'softmax' });
  call(x) {
    return this.out.apply(this.hidden.apply(x));
  }
  trainStep([xs, ys]) {
    const { value, grads } = km.variableGrads(() => km.mean(kmCrossEntropy(ys, this.apply(xs, { training: true }))), this.trainableWeights);
    this.optimizer.applyGradients(grads);
    return { loss: value };
  }
}

/** Milliseconds per step of fit over SteppedMLP's trainStep. */
function kerasmTrainStepSteps(data) {
  return kerasmFitSteps(data, () => {
    const model = new SteppedMLP();
    model.compile({ optimizer: 'adam' });
    return model;
  });
}

/** Milliseconds per step of `optimizer.minimize(() => loss(model.apply(x, { training: true })))` in kerasm. */
async function kerasmLoopSteps(data) {
  await useKerasm(1);
  km.utils.setRandomSeed(1);
  const model = km.sequential([km.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), km.layers.dense({ units: 10, activation: 'softmax' })]);
  const optimizer = km.optimizers.adam();
  const step = (b) => {
    const [x, y] = loopBatch(data, b);
    const [xs, ys] = [km.tensor(x, [BATCH, 784]), km.tensor(y, [BATCH, 10])];
    optimizer.minimize(() => km.mean(kmCrossEntropy(ys, model.apply(xs, { training: true }))));
  };
  const ms = msPerStep(step);
  model.dispose();
  return ms;
}

/** The same loop in tfjs-layers on tfjs-wasm. */
async function tfjsLoopSteps(data) {
  await useTfjs('wasm');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tfl.layers.dense({ units: 10, activation: 'softmax' })] });
  const optimizer = tf.train.adam();
  const step = (b) => {
    const [x, y] = loopBatch(data, b);
    tf.tidy(() => {
      const [xs, ys] = [tf.tensor2d(x, [BATCH, 784]), tf.tensor2d(y, [BATCH, 10])];
      optimizer.minimize(() => tf.mean(tfCrossEntropy(ys, model.apply(xs, { training: true }))));
    });
  };
  const ms = msPerStep(step);
  optimizer.dispose();
  model.dispose();
  return ms;
}

export async function customCodeSpeed({ repetitions, log }) {
  const { train } = await km.datasets.mnist.load();
  const labels = train.y.dataSync();
  const oneHot = new Float32Array(labels.length * 10);
  labels.forEach((label, i) => (oneHot[i * 10 + label] = 1));
  const data = { x: train.x.dataSync(), oneHot };
  const flatDense = () => km.layers.dense({ units: 64, activation: 'relu', inputShape: [784] });
  const contenders = {
    'kerasm, built-in loss': () => kerasmSteps(data, 'categoricalCrossentropy', flatDense),
    'kerasm, loss function': () => kerasmSteps(data, kmCrossEntropy, flatDense),
    'kerasm, loss function and CallLayer': () => kerasmSteps(data, kmCrossEntropy, () => new HostDense({ inputShape: [784] })),
    'tfjs-wasm, loss function': () => tfjsSteps(data),
    'kerasm, written-out loop': () => kerasmLoopSteps(data),
    'tfjs-wasm, written-out loop': () => tfjsLoopSteps(data),
    'kerasm, fit over trainStep': () => kerasmTrainStepSteps(data),
  };
  const runs = await interleave(contenders, repetitions, (r, res) => log(`  rep ${r + 1}: ${Object.entries(res).map(([k, v]) => `${k} ${v[r].toFixed(3)} ms`).join(', ')}`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const [builtIn, lossFunction, callLayer, tfjsFunction, loop, tfjsLoop, trainStep] = Object.values(medians);
  return {
    title: `Reference MLP with a loss function (and a CallLayer), and trained by a written-out loop (optimizer.minimize over model.apply) and by fit over a trainStep, ms per training step (batch ${BATCH}, ${STEPS} steps), kerasm on one thread`,
    unit: 'ms', lowerIsBetter: true, runs, medians,
    ratios: {
      'kerasm loss function / kerasm built-in loss': lossFunction / builtIn,
      'kerasm loss function / tfjs-wasm loss function': lossFunction / tfjsFunction,
      'kerasm loss function and CallLayer / tfjs-wasm loss function': callLayer / tfjsFunction,
      'kerasm written-out loop / kerasm built-in loss': loop / builtIn,
      'kerasm written-out loop / tfjs-wasm written-out loop': loop / tfjsLoop,
      'kerasm fit over trainStep / kerasm written-out loop': trainStep / loop,
      'kerasm fit over trainStep / tfjs-wasm written-out loop': trainStep / tfjsLoop,
    },
  };
}
