import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// ActivityRegularization between two Dense layers, against a float64 model written from Keras 3's
// definition: the output is the input, and the loss is the batch's mean squared error plus
// l1·Σ|h| + l2·Σh² over the batch's activations h (Keras 3 adds the sum, not a per-sample mean).
beforeAll(() => km.ready());

const [IN, UNITS, OUT, BATCH] = [4, 3, 2, 5];

function sandwich(args: km.layers.ActivityRegularizationArgs): km.LayersModel {
  km.utils.setRandomSeed(9);
  return km.sequential([
    km.layers.dense({ units: UNITS, inputShape: [IN], biasInitializer: 'glorotUniform' }),
    km.layers.activityRegularization(args),
    km.layers.dense({ units: OUT, biasInitializer: 'glorotUniform' }),
  ]);
}

/** The reference loss of the sandwich with these weights, and its hidden activations. */
function referenceLoss([w1, b1, w2, b2]: number[][], xs: number[][], ys: number[][], l1: number, l2: number): { loss: number; hidden: number[][] } {
  const hidden = xs.map((x) => b1.map((b, u) => x.reduce((s, v, k) => s + v * w1[k * UNITS + u], b)));
  const outputs = hidden.map((h) => b2.map((b, o) => h.reduce((s, v, u) => s + v * w2[u * OUT + o], b)));
  const mse = outputs.reduce((s, p, i) => s + p.reduce((t, v, o) => t + (v - ys[i][o]) ** 2, 0) / OUT, 0) / xs.length;
  const penalty = hidden.flat().reduce((s, v) => s + l1 * Math.abs(v) + l2 * v * v, 0);
  return { loss: mse + penalty, hidden };
}

const random = new Random(21);
const xs = Array.from({ length: BATCH }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
const ys = Array.from({ length: BATCH }, () => Array.from({ length: OUT }, () => random.uniform(-1, 1)));
const [x, y] = [km.tensor(xs.flat(), [BATCH, IN]), km.tensor(ys.flat(), [BATCH, OUT])];

describe('ActivityRegularization against a float64 reference', () => {
  it.each([
    { l1: 0.05, l2: 0 },
    { l1: 0, l2: 0.2 },
    { l1: 0.03, l2: 0.1 },
  ])('l1 $l1, l2 $l2: identity forward, the penalty in the evaluated loss, and its gradient in every weight before it', async ({ l1, l2 }) => {
    const model = sandwich({ l1, l2 });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const { loss, hidden } = referenceLoss(weights, xs, ys, l1, l2);
    const tap = km.model({ inputs: model.inputs, outputs: model.layers[1].output });
    const tapped = tap.predict(x).dataSync();
    hidden.flat().forEach((v, i) => expect(tapped[i]).toBeCloseTo(v, 5));
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [evaluated] = (await model.evaluate(x, y, { batchSize: BATCH, verbose: 0 })) as number[];
    expect(evaluated).toBeCloseTo(loss, 5);
    const expected = finiteDifferences(weights, () => referenceLoss(weights, xs, ys, l1, l2).loss);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel 1', 'bias 1', 'kernel 2', 'bias 2']);
  });

  it('with l1 = l2 = 0 it changes nothing: the same losses and gradients as the model without it', async () => {
    const model = sandwich({});
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const expected = finiteDifferences(weights, () => referenceLoss(weights, xs, ys, 0, 0).loss);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel 1', 'bias 1', 'kernel 2', 'bias 2']);
  });

  it('a strong l1 penalty drives the activations towards 0 while training', async () => {
    const model = sandwich({ l1: 0.5 });
    const tap = km.model({ inputs: model.inputs, outputs: model.layers[1].output });
    const meanAbs = () => tap.predict(x).dataSync().reduce((s, v) => s + Math.abs(v), 0) / (BATCH * UNITS);
    const before = meanAbs();
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 20, batchSize: BATCH, verbose: 0 });
    expect(meanAbs()).toBeLessThan(before / 4);
  });
});

describe('ActivityRegularization: config and saving', () => {
  it('saves and loads (class ActivityRegularization, config {l1, l2}) with the same loss', async () => {
    const model = sandwich({ l1: 0.01, l2: 0.02 });
    const artifacts = await kerasmArtifacts(model);
    const layer = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[1];
    expect(layer.class_name).toBe('ActivityRegularization');
    expect(layer.config).toMatchObject({ l1: 0.01, l2: 0.02 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), model.predict(x).dataSync())).toBe(0);
    for (const m of [model, reloaded]) m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [[ours], [theirs]] = [await model.evaluate(x, y, { verbose: 0 }), await reloaded.evaluate(x, y, { verbose: 0 })] as number[][];
    expect(theirs).toBe(ours);
    expect(ours).toBeGreaterThan(referenceLoss(model.getWeights().map((w) => Array.from(w.dataSync())), xs, ys, 0, 0).loss);
  });
});

describe('ActivityRegularization bad input', () => {
  it.each([
    [{ l1: -0.1 }, /ActivityRegularization layer '.*': l1 must be a finite, non-negative number, e\.g\. l1: 0\.01\. Received: l1=-0\.1/],
    [{ l2: '0.1' }, /l2 must be a finite, non-negative number.*Received: l2="0\.1"/],
    [{ l2: Infinity }, /l2 must be a finite, non-negative number/],
    [{ l3: 0.1 }, /km\.layers\.activityRegularization has no option 'l3'/],
  ])('%j', (args, message) => {
    expect(() => km.layers.activityRegularization(args as km.layers.ActivityRegularizationArgs)).toThrow(message);
  });
});
