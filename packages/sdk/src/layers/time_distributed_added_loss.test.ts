import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { SquareSumLoss } from '../testing/loss_layers.js';
import { Random } from '../utils/random.js';

// A layer that adds a loss term, under TimeDistributed: Keras 3 calls it once per step with the
// batch's samples and sums the steps' terms, so a term averaged over the batch counts each step's
// mean. Checked against a float64 per-step reference in fit, evaluate and validation, and against
// finite differences for the gradients.
beforeAll(() => km.ready());

const [BATCH, STEPS, IN, HIDDEN, OUT] = [4, 3, 2, 3, 2];
const RATE = 0.5;
const random = new Random(31);
const xs = Array.from({ length: BATCH }, () => Array.from({ length: STEPS }, () => Array.from({ length: IN }, () => random.uniform(-1, 1))));
const ys = Array.from({ length: BATCH }, () => Array.from({ length: OUT }, () => random.uniform(-1, 1)));
const [x, y] = [km.tensor(xs.flat(2), [BATCH, STEPS, IN]), km.tensor(ys.flat(), [BATCH, OUT])];

/** Passes its input through and adds RATE·Σx²/batch, the batch's mean of RATE·Σx² (the docs' KL term averages alike). */
const penaltyLayer = (declares: { addsLosses: boolean; couplesSamples?: boolean }) => new SquareSumLoss({ rate: RATE, batchMean: true, ...declares });

/** [B, STEPS, IN] → TimeDistributed(Dense) → TimeDistributed(penalty) → Flatten → Dense. */
function model(penalty: km.layers.Layer): km.LayersModel {
  km.utils.setRandomSeed(4);
  const input = km.input({ shape: [STEPS, IN] });
  const hidden = km.layers.timeDistributed({ layer: km.layers.dense({ units: HIDDEN, biasInitializer: 'glorotUniform' }) }).apply(input) as km.SymbolicTensor;
  const penalized = km.layers.timeDistributed({ layer: penalty }).apply(hidden) as km.SymbolicTensor;
  const output = km.layers.dense({ units: OUT }).apply(km.layers.flatten().apply(penalized) as km.SymbolicTensor) as km.SymbolicTensor;
  return km.model({ inputs: input, outputs: output });
}

const readWeights = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Keras 3's loss, in float64: the mean squared error plus, per step, the penalty's call on that step's batch (RATE·Σh²/BATCH), summed. */
function kerasLoss([w1, b1, w2, b2]: number[][]): number {
  const hidden = xs.map((sequence) => sequence.map((step) => dense(step, w1, b1)));
  const error = hidden.reduce((s, h, i) => s + dense(h.flat(), w2, b2).reduce((e, p, o) => e + (p - ys[i][o]) ** 2, 0) / OUT, 0) / BATCH;
  let penalty = 0;
  for (let step = 0; step < STEPS; step++) penalty += (RATE * hidden.reduce((s, h) => s + h[step].reduce((q, v) => q + v * v, 0), 0)) / BATCH;
  return error + penalty;
}

describe('TimeDistributed over a layer that adds a loss term', () => {
  it("gives Keras 3's summed per-step terms in fit, evaluate and validation alike", async () => {
    const penalty = penaltyLayer({ addsLosses: true });
    const m = model(penalty);
    const expected = kerasLoss(readWeights(m));
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const { history } = await m.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, validationData: [x, y] });
    expect(history.loss[0]).toBeCloseTo(expected, 5);
    expect(history.val_loss[0]).toBeCloseTo(expected, 5);
    expect(Number(await m.evaluate(x, y, { batchSize: BATCH, verbose: 0 }))).toBeCloseTo(expected, 5);
    // One pass over all batch·steps rows would report a third of the penalty; the per-step one is clearly larger.
    expect(penalty.forwards).toBe(3 * STEPS); // fit, its validation and evaluate: once per step each
    expect(m.layers[2].losses).toHaveLength(STEPS);
  });

  it('runs the layer once per step in predict too, with the same outputs', async () => {
    const penalty = penaltyLayer({ addsLosses: true });
    const m = model(penalty);
    const reference = model(km.layers.activation({ activation: 'linear' }));
    expect(Array.from(m.predict(x, { verbose: 0 }).dataSync())).toEqual(Array.from(reference.predict(x, { verbose: 0 }).dataSync()));
    expect(penalty.forwards).toBe(STEPS);
  });

  it('agrees between fit and evaluate for a layer that also couples its samples in training', async () => {
    const m = model(penaltyLayer({ addsLosses: true, couplesSamples: true }));
    const expected = kerasLoss(readWeights(m));
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0 }), loss: 'meanSquaredError' });
    const { history } = await m.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    expect(history.loss[0]).toBeCloseTo(expected, 5);
    expect(Number(await m.evaluate(x, y, { batchSize: BATCH, verbose: 0 }))).toBeCloseTo(expected, 5);
  });

  it("trains with each step's gradient of its term, matching finite differences", async () => {
    const m = model(penaltyLayer({ addsLosses: true }));
    const weights = readWeights(m);
    const expected = finiteDifferences(weights, () => kerasLoss(weights));
    expectGradientsClose(await kerasmGradients(m, 'meanSquaredError', x, y), expected, ['kernel 1', 'bias 1', 'kernel 2', 'bias 2']);
  });

  it('refuses a layer that adds a term without declaring addsLosses, naming the declaration', async () => {
    const m = model(penaltyLayer({ addsLosses: false }));
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(m.evaluate(x, y, { verbose: 0 })).rejects.toThrow(/'square_sum_loss\w*' added a loss term \(ctx\.addLoss\) but does not declare addsLosses.*override get addsLosses\(\): boolean \{ return true; \}/);
  });

  it('runs an ordinary layer once over all batch·steps rows', async () => {
    class CountedDense extends km.layers.Dense {
      forwards = 0;
      override forward(ctx: km.layers.ForwardContext): void {
        this.forwards++;
        expect(ctx.batch).toBe(BATCH * STEPS);
        super.forward(ctx);
      }
    }
    const inner = new CountedDense({ units: HIDDEN });
    const m = km.sequential([km.layers.timeDistributed({ layer: inner, inputShape: [STEPS, IN] })]);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await m.fit(x, km.zeros([BATCH, STEPS, HIDDEN]), { epochs: 1, batchSize: BATCH, verbose: 0 });
    m.predict(x, { verbose: 0 });
    expect(inner.forwards).toBe(2);
  });
});
