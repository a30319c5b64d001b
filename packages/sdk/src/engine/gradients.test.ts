import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { refForward, refGradients, refLoss, type RefActivation, type RefDense, type RefLoss } from '../testing/reference.js';
import { Random } from '../utils/random.js';
import { kerasmGradients } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

function randomMatrix(rows: number, cols: number, random: Random, scale = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => random.uniform(-scale, scale)));
}

/** Reads a model's Dense weights into the reference's float64 form. */
function toReference(model: km.LayersModel, activations: RefActivation[]): RefDense[] {
  const w = model.getWeights();
  return activations.map((activation, i) => {
    const kernel = w[2 * i];
    return { kernel: kernel.arraySync() as number[][], bias: Array.from(w[2 * i + 1].dataSync()), activation };
  });
}

function targetsFor(loss: RefLoss, rows: number, cols: number, random: Random): number[][] {
  return Array.from({ length: rows }, () => {
    if (loss === 'sparseCategoricalCrossentropy') return [Math.floor(random.next() * cols)];
    if (loss === 'categoricalCrossentropy') {
      const hot = Math.floor(random.next() * cols);
      return Array.from({ length: cols }, (_, j) => (j === hot ? 1 : 0));
    }
    return Array.from({ length: cols }, () => random.next());
  });
}

const cases: { hidden: RefActivation; out: RefActivation; loss: RefLoss; activationLayer?: boolean; inputScale?: number }[] = [
  { hidden: 'relu', out: 'softmax', loss: 'sparseCategoricalCrossentropy' },
  { hidden: 'tanh', out: 'softmax', loss: 'categoricalCrossentropy' },
  { hidden: 'sigmoid', out: 'sigmoid', loss: 'binaryCrossentropy' },
  { hidden: 'linear', out: 'linear', loss: 'meanSquaredError' },
  { hidden: 'relu', out: 'tanh', loss: 'meanSquaredError' },
  { hidden: 'sigmoid', out: 'softmax', loss: 'meanSquaredError' },
  { hidden: 'relu', out: 'softmax', loss: 'sparseCategoricalCrossentropy', activationLayer: true },
  { hidden: 'tanh', out: 'sigmoid', loss: 'binaryCrossentropy', activationLayer: true },
  // Each activation added after the first five, hidden and as the output; inputs scaled by 6 so
  // that relu6's and hardSigmoid's flat parts and the exp-based kinds' far sides are reached.
  ...(['elu', 'selu', 'softplus', 'softsign', 'relu6', 'exponential', 'hardSigmoid'] as const).flatMap((kind) => [
    { hidden: kind, out: 'linear' as const, loss: 'meanSquaredError' as const, inputScale: 6 },
    { hidden: 'tanh' as const, out: kind, loss: 'meanSquaredError' as const, activationLayer: kind === 'elu' || kind === 'softplus' },
  ]),
  { hidden: 'selu', out: 'hardSigmoid', loss: 'binaryCrossentropy', inputScale: 3 },
  // The activations whose gradient needs the kept pre-activation z: hidden (the bias gradient
  // fused into the pass from z), as the output, and as an Activation layer reading its input.
  ...(['swish', 'gelu', 'gelu_new', 'mish'] as const).flatMap((kind) => [
    { hidden: kind, out: 'linear' as const, loss: 'meanSquaredError' as const, inputScale: 3 },
    { hidden: 'tanh' as const, out: kind, loss: 'meanSquaredError' as const },
    { hidden: kind, out: kind, loss: 'meanSquaredError' as const, activationLayer: true, inputScale: 3 },
  ]),
  // Keras 3's later additions: fused into the matMul (from the output), tanh_shrink from the kept
  // z, and sparsemax along the row, hidden, as the output and as an Activation layer.
  ...(['squareplus', 'soft_shrink', 'hard_shrink', 'sparse_plus', 'tanh_shrink', 'sparsemax'] as const).flatMap((kind) => [
    { hidden: kind, out: 'linear' as const, loss: 'meanSquaredError' as const, inputScale: 3 },
    { hidden: 'tanh' as const, out: kind, loss: 'meanSquaredError' as const },
    { hidden: kind, out: kind, loss: 'meanSquaredError' as const, activationLayer: true, inputScale: 3 },
  ]),
];

describe('Dense gradients against float64 finite differences', () => {
  it.each(cases)('$hidden hidden, $out output, $loss, Activation layer: $activationLayer', async ({ hidden, out, loss, activationLayer, inputScale = 1 }) => {
    const random = new Random(7);
    const [n, inputs, units, classes] = [5, 17, 3, 4];
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.dense({ units, activation: hidden, inputShape: [inputs], biasInitializer: 'glorotUniform' }),
      ...(activationLayer
        ? [km.layers.dense({ units: classes }), km.layers.activation({ activation: out })]
        : [km.layers.dense({ units: classes, activation: out })]),
    ]);
    const xs = randomMatrix(n, inputs, random, inputScale);
    const ys = targetsFor(loss, n, classes, random);
    const x = km.tensor(xs);
    const y = loss === 'sparseCategoricalCrossentropy' ? km.tensor(ys.map((r) => r[0]), undefined, 'int32') : km.tensor(ys);
    model.compile({ optimizer: 'sgd', loss });

    const reference = toReference(model, [hidden, out]);
    const predicted = model.predict(x).arraySync() as number[][];
    // Relative beyond 1: exponential's outputs and loss reach the hundreds and more.
    xs.forEach((row, i) => refForward(reference, row).forEach((p, j) => expect(Math.abs(predicted[i][j] - p)).toBeLessThan(5e-6 * Math.max(1, Math.abs(p)))));
    const [lossValue] = await model.evaluate(x, y, { verbose: 0 });
    const refLossValue = refLoss(reference, loss, xs, ys);
    expect(Math.abs(lossValue - refLossValue)).toBeLessThan(5e-6 * Math.max(1, Math.abs(refLossValue)));

    const expected = refGradients(reference, loss, xs, ys).flatMap((g) => [g.kernel.flat(), g.bias]);
    const actual = await kerasmGradients(model, loss, x, y);
    expected.forEach((g, i) => {
      const scale = Math.max(1e-3, ...g.map(Math.abs));
      g.forEach((v, j) => expect(Math.abs(actual[i][j] - v) / scale).toBeLessThan(2e-3));
    });
  });
});
