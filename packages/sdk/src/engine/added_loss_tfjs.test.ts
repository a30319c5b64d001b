import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { SquareSumLoss } from '../testing/loss_layers.js';

// On a tfjs backend the terms layers add with ctx.addLoss are read asynchronously, as activity
// penalties are: the loss fit and evaluate report must still hold them, batch by batch.
beforeAll(() => km.setBackend('tfjs-cpu'));
afterAll(() => km.setBackend('wasm'));

describe('ctx.addLoss on tfjs-cpu', () => {
  it("adds each batch's term to evaluate's and fit's loss", async () => {
    const [xs, ys] = [[[1, -2], [0.5, 3], [-1, 1]], [[0.5], [-1], [2]]];
    const identity = { className: 'Constant', config: { value: 1 } };
    // Dense kernel of ones, no bias: h = x₀ + x₁ per sample; the output is h itself.
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], kernelInitializer: identity, useBias: false }), new SquareSumLoss({ rate: 0.1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = xs.map(([a, b]) => a + b);
    const batchLoss = (rows: number[]) => rows.reduce((s, r) => s + (h[r] - ys[r][0]) ** 2, 0) / rows.length + 0.1 * rows.reduce((s, r) => s + h[r] ** 2, 0);
    const [x, y] = [km.tensor(xs), km.tensor(ys)];
    const [evaluated] = (await model.evaluate(x, y, { batchSize: 2, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo((2 * batchLoss([0, 1]) + batchLoss([2])) / 3, 5);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(batchLoss([0, 1, 2]), 5);
  });
});
