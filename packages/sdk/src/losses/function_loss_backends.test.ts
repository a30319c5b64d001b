// A loss function of tensors gives the built-in loss' value and gradient on every backend that runs
// here (kerasm's kernels as the reference), weighted per sample and per step too.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, runsOn } from '../testing/backends_here.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { denseModel, sampleWeight, squaredError, stepWeights, xs, ys } from '../testing/small_regression.js';

describe.each(BACKENDS_HERE)('a loss function of tensors on backend %s', (name) => {
  runsOn(name, () => {});

  it.skipIf(name === 'tfjs-webgpu')("gives the built-in 'meanSquaredError' loss and gradient, per sample, per value and with sample weights", async () => {
    const perValue = (yTrue: km.Tensor, yPred: km.Tensor) => km.square(km.sub(yPred, yTrue));
    for (const fn of [squaredError, perValue]) {
      const model = denseModel();
      model.compile({ optimizer: 'sgd', loss: fn });
      const [loss] = await model.evaluate(xs, ys, { verbose: 0 });
      const [weighted] = await model.evaluate(xs, ys, { verbose: 0, sampleWeight });
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      expect(loss).toBeCloseTo((await model.evaluate(xs, ys, { verbose: 0 }))[0], 5);
      expect(weighted).toBeCloseTo((await model.evaluate(xs, ys, { verbose: 0, sampleWeight }))[0], 5);
      const ours = await kerasmGradients(model, fn, xs, ys);
      const builtIn = await kerasmGradients(model, 'meanSquaredError', xs, ys);
      expectGradientsClose(ours, builtIn.map((g) => Array.from(g)), ['kernel', 'bias'], 1e-5);
    }
    const ours = await stepWeights(squaredError, xs, ys, sampleWeight);
    const builtIn = await stepWeights('meanSquaredError', xs, ys, sampleWeight);
    expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
  });

  it.skipIf(name === 'tfjs-webgpu')('weighs each position of a [steps, units] output by temporal sample weights, as the built-in loss does', async () => {
    const x = xs.reshape([3, 2, 3]);
    const y = ys.reshape([3, 2, 2]);
    const perStep = km.tensor([[1, 0], [0.5, 2], [3, 1]]);
    for (const weights of [undefined, perStep, km.tensor([2, 0.5, 1])]) {
      const ours = await stepWeights(squaredError, x, y, weights, [2, 3]);
      const builtIn = await stepWeights('meanSquaredError', x, y, weights, [2, 3]);
      expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
    }
    // One loss per sample over two steps: each sample weighs its steps' weights together.
    const perSample = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.square(km.sub(yPred, yTrue)), [1, 2]);
    const ours = await stepWeights(perSample, x, y, km.tensor([2, 0.5, 1]), [2, 3]);
    const builtIn = await stepWeights('meanSquaredError', x, y, km.tensor([2, 0.5, 1]), [2, 3]);
    expectGradientsClose(ours, builtIn.map((w) => Array.from(w)), ['kernel', 'bias'], 1e-5);
  });


  it.runIf(name === 'tfjs-webgpu')('is refused where the backend cannot read synchronously, naming the ways out', async () => {
    const model = denseModel();
    model.compile({ optimizer: 'sgd', loss: squaredError });
    await expect(model.fit(xs, ys, { epochs: 1, verbose: 0 })).rejects.toThrow(
      "The loss function 'squaredError' computes with km ops on the host, so it reads each batch from the backend, but backend 'tfjs-webgpu' cannot read synchronously.",
    );
  });
});
