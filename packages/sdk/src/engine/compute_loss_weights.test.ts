// Model.computeLoss (Keras 3's compute_loss) inside a trainStep, against kerasm's own fit on the same
// batches: temporal sample weights on a per-step output, lossWeights by output name, an output
// compiled with metrics but no loss, and on the tfjs-cpu backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());
afterAll(() => useBackend('wasm'));

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-4) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};
const weightsOf = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
const random = new Random(41);
const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape);

/** A trainStep of Keras' customizing-fit guide: computeLoss of a training pass, with data[2] as its sample weights. */
function computedStep(this: km.LayersModel, [xs, ys, sampleWeight]: km.StepData): km.StepLogs {
  const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true }), sampleWeight as km.Tensor | undefined), this.trainableWeights);
  this.optimizer!.applyGradients(grads);
  return { loss: value };
}

describe('computeLoss takes the steps fit takes', () => {
  const [steps, perStep] = [5, 12];
  const stepX = uniform([perStep, steps, 3]);
  it.each([
    { loss: 'meanSquaredError', units: 2, activation: 'linear', targets: () => uniform([perStep, steps, 2]), tolerance: 1e-5 },
    { loss: 'sparseCategoricalCrossentropy', units: 3, activation: 'softmax', targets: () => km.tensor(Int32Array.from({ length: perStep * steps }, (_, i) => (i * 7) % 3), [perStep, steps], 'int32'), tolerance: 1e-4 },
    { loss: 'binaryCrossentropy', units: 2, activation: 'sigmoid', targets: () => km.tensor(Float32Array.from({ length: perStep * steps * 2 }, (_, i) => (i * 5) % 2), [perStep, steps, 2]), tolerance: 1e-4 },
  ] as const)('with temporal sample weights [batch, steps] on a per-step output ($loss)', async ({ loss, units, activation, targets, tolerance }) => {
    class PerStep extends km.Functional {
      override trainStep = computedStep;
    }
    const build = (made: (args: km.FunctionalModelArgs) => km.Functional) => {
      km.utils.setRandomSeed(7);
      const input = km.input({ shape: [steps, 3] });
      return made({ inputs: input, outputs: km.layers.dense({ units, activation }).apply(km.layers.dense({ units: 4, activation: 'tanh' }).apply(input)) as km.SymbolicTensor });
    };
    const own = build((args) => new PerStep(args));
    const builtIn = build((args) => km.model(args));
    builtIn.setWeights(own.getWeights());
    const y = targets();
    const sampleWeight = km.tensor(Float32Array.from({ length: perStep * steps }, (_, i) => (i % 3) * 0.75), [perStep, steps]);
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss });
    const args = { epochs: 2, batchSize: 5, seed: 4, verbose: 0, sampleWeight } as const;
    expectClose((await own.fit(stepX, y, args)).history.loss as number[], (await builtIn.fit(stepX, y, args)).history.loss as number[], tolerance);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i], tolerance));
  });

  /** Two heads, 'value' (regression) and 'label' (3 classes), of one hidden layer, built by `made`. */
  const twoHeads = (made: (args: km.FunctionalModelArgs) => km.Functional) => {
    km.utils.setRandomSeed(9);
    const input = km.input({ shape: [4] });
    const h = km.layers.dense({ units: 5, activation: 'tanh' }).apply(input);
    const outputs = [km.layers.dense({ units: 2, name: 'value' }).apply(h) as km.SymbolicTensor, km.layers.dense({ units: 3, activation: 'softmax', name: 'label' }).apply(h) as km.SymbolicTensor];
    return made({ inputs: input, outputs });
  };
  class TwoHeads extends km.Functional {
    override trainStep = computedStep;
  }
  const n = 14;
  const x = uniform([n, 4]);
  const value = uniform([n, 2]);
  const label = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 5) % 3), [n], 'int32');
  const sampleWeight = km.tensor(Float32Array.from({ length: n }, (_, i) => 0.25 + (i % 4) * 0.5), [n]);

  it.each([
    { what: 'lossWeights keyed by output name', compile: { loss: { value: 'meanSquaredError', label: 'sparseCategoricalCrossentropy' }, lossWeights: { value: 0.5, label: 2 } } },
    { what: 'an output compiled with metrics and no loss', compile: { loss: { value: null, label: 'sparseCategoricalCrossentropy' }, metrics: { value: ['mae'] } } },
  ] as const)('with $what, sample-weighted', async ({ compile }) => {
    const own = twoHeads((args) => new TwoHeads(args));
    const builtIn = twoHeads((args) => km.model(args));
    builtIn.setWeights(own.getWeights());
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.02), ...compile } as km.ModelCompileArgs);
    const args = { epochs: 2, batchSize: 6, seed: 5, verbose: 0, sampleWeight } as const;
    const ownLoss = (await own.fit(x, { value, label }, args)).history.loss as number[];
    const builtInLoss = (await builtIn.fit(x, { value, label }, args)).history.loss as number[];
    expectClose(ownLoss, builtInLoss);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));
  });

  it('on the tfjs-cpu backend, whose loss kernels answer asynchronously, names a backend it runs on (wasm) and km.losses', async () => {
    await useBackend('tfjs-cpu');
    const model = twoHeads((args) => new TwoHeads(args));
    model.compile({ optimizer: 'sgd', loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'] });
    let message = '';
    try {
      km.variableGrads(() => model.computeLoss([value, label], model.apply(x, { training: true }), sampleWeight), model.trainableWeights);
    } catch (error) {
      message = (error as Error).message;
    }
    model.dispose();
    await useBackend('wasm');
    expect(message).toMatch(/TwoHeads\.computeLoss reads the loss back synchronously, which backend 'tfjs-cpu' cannot/);
    // The fix it names must be one that works: wasm, not another tfjs backend.
    expect(message).toContain("await km.setBackend('wasm')");
    expect(message).not.toMatch(/tfjs-webgl/);
    expect(message).toContain('km.losses');
  });
});
