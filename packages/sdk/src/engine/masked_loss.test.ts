import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { denseRows, maskedMean, POSITION_LOSS, type Activation } from '../testing/masked_loss_reference.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { expectGradientsClose, finiteDifferenceGradient, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

// Masking → Dense(C) gives a [steps, C] output that carries the mask: its loss must be the mean over
// the unmasked positions (Keras 3's apply_mask), combined with sample weights, and its gradient that
// mean's. References: a float64 per-position loop over the same weights, and finite differences.
const N = 6;
const STEPS = 5;
const FEATURES = 3;
const C = 4;
const data = paddedSequences(N, STEPS, 5, FEATURES, 17);
const mask = Array.from({ length: N * STEPS }, (_, i) => (i % STEPS < data.lengths[Math.floor(i / STEPS)] ? 1 : 0));
const random = new Random(23);
const labels = Int32Array.from({ length: N * STEPS }, () => Math.floor(random.uniform(0, C)));
const oneHot = Float32Array.from({ length: N * STEPS * C }, (_, i) => (labels[Math.floor(i / C)] === i % C ? 1 : 0));
const soft = Float32Array.from({ length: N * STEPS * C }, () => random.uniform(0.05, 0.95));
const realTargets = Float32Array.from({ length: N * STEPS * C }, () => random.uniform(-1.5, 1.5));
const sampleWeights = [1, 0.5, 2, 0, 1.5, 1];
const temporalWeights = Float32Array.from({ length: N * STEPS }, () => random.uniform(0, 2));

interface LossCase {
  readonly name: string;
  readonly loss: km.ModelCompileArgs['loss'];
  readonly activation: Activation;
  readonly reference: keyof typeof POSITION_LOSS;
  /** Targets as the loss takes them, and as rows for the reference. */
  readonly y: km.Tensor;
  readonly rows: Float32Array;
}

const sparseY = km.tensor(labels, [N, STEPS], 'int32');
const oneHotY = km.tensor(oneHot, [N, STEPS, C]);
const CASES: LossCase[] = [
  { name: 'categoricalCrossentropy (fused softmax)', loss: 'categoricalCrossentropy', activation: 'softmax', reference: 'categoricalCrossentropy', y: oneHotY, rows: oneHot },
  { name: 'sparseCategoricalCrossentropy (fused softmax, labels)', loss: 'sparseCategoricalCrossentropy', activation: 'softmax', reference: 'categoricalCrossentropy', y: sparseY, rows: oneHot },
  { name: 'sparseCategoricalCrossentropy fromLogits', loss: km.losses.sparseCategoricalCrossentropy({ fromLogits: true }), activation: 'linear', reference: 'categoricalCrossentropyFromLogits', y: sparseY, rows: oneHot },
  { name: 'categoricalCrossentropy on probabilities (unfused)', loss: 'categoricalCrossentropy', activation: 'sigmoid', reference: 'categoricalCrossentropy', y: oneHotY, rows: oneHot },
  { name: 'binaryCrossentropy', loss: 'binaryCrossentropy', activation: 'sigmoid', reference: 'binaryCrossentropy', y: km.tensor(soft, [N, STEPS, C]), rows: soft },
  { name: 'binaryCrossentropy fromLogits, labelSmoothing 0.1', loss: km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), activation: 'linear', reference: 'binaryCrossentropyFromLogitsSmoothed', y: km.tensor(soft, [N, STEPS, C]), rows: soft },
  { name: 'meanSquaredError', loss: 'mse', activation: 'linear', reference: 'meanSquaredError', y: km.tensor(realTargets, [N, STEPS, C]), rows: realTargets },
  { name: 'meanAbsoluteError', loss: 'mae', activation: 'linear', reference: 'meanAbsoluteError', y: km.tensor(realTargets, [N, STEPS, C]), rows: realTargets },
  { name: 'huber', loss: 'huber', activation: 'linear', reference: 'huber', y: km.tensor(realTargets, [N, STEPS, C]), rows: realTargets },
  { name: 'kullbackLeiblerDivergence (sums the last axis)', loss: 'kld', activation: 'softmax', reference: 'kullbackLeiblerDivergence', y: km.tensor(soft, [N, STEPS, C]), rows: soft },
  { name: 'cosineSimilarity (rowwise)', loss: 'cosineSimilarity', activation: 'linear', reference: 'cosineSimilarity', y: km.tensor(realTargets, [N, STEPS, C]), rows: realTargets },
  { name: 'categoricalHinge (rowwise)', loss: 'categoricalHinge', activation: 'linear', reference: 'categoricalHinge', y: oneHotY, rows: oneHot },
];

function taggerModel(activation: Activation, seed: number): km.LayersModel {
  km.utils.setRandomSeed(seed);
  return km.sequential([km.layers.masking({ maskValue: 0, inputShape: [STEPS, FEATURES] }), km.layers.dense({ units: C, activation })]);
}

/** The float64 masked loss of the Dense weights `params` (kernel then bias, flat), per Keras. */
function referenceLoss(c: LossCase, params: readonly number[], weights?: ArrayLike<number>, positionMask: ArrayLike<number> = mask): number {
  const outputs = denseRows(data.series, N * STEPS, FEATURES, params.slice(0, FEATURES * C), params.slice(FEATURES * C), c.activation);
  const losses = outputs.map((p, r) => POSITION_LOSS[c.reference](p, Array.from(c.rows.subarray(r * C, (r + 1) * C))));
  return maskedMean(losses, positionMask, weights);
}

const x = km.tensor(data.series, [N, STEPS, FEATURES]);
const perPosition = (w: number[]) => Array.from({ length: N * STEPS }, (_, i) => w[Math.floor(i / STEPS)]);

describe('a masked output: the loss is the mean over the unmasked positions (Keras 3), for every loss family', () => {
  it.each(CASES)('$name: loss and gradient match a float64 reference and finite differences', async (c) => {
    const model = taggerModel(c.activation, 3);
    model.compile({ optimizer: 'sgd', loss: c.loss });
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const [loss] = await model.evaluate(x, c.y, { batchSize: N, verbose: 0 });
    expect(loss).toBeCloseTo(referenceLoss(c, params), 5);
    // Counting the padding would give another loss.
    expect(Math.abs(loss - referenceLoss(c, params, undefined, new Array(N * STEPS).fill(1)))).toBeGreaterThan(1e-3);

    const [weighted] = await model.evaluate(x, c.y, { batchSize: N, verbose: 0, sampleWeight: sampleWeights });
    expect(weighted).toBeCloseTo(referenceLoss(c, params, perPosition(sampleWeights)), 5);

    const grads = await kerasmGradients(model, c.loss, x, c.y);
    const reference = finiteDifferenceGradient(params, (p) => referenceLoss(c, p));
    expectGradientsClose(grads, [reference.slice(0, FEATURES * C), reference.slice(FEATURES * C)], ['kernel', 'bias']);
  });

  it('temporal sample weights [n, steps] combine with the mask: Σ loss·w·m / Σm, and train with that gradient', async () => {
    const c = CASES[1];
    const model = taggerModel(c.activation, 4);
    model.compile({ optimizer: 'sgd', loss: c.loss });
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const w = km.tensor(temporalWeights, [N, STEPS]);
    const [loss] = await model.evaluate(x, c.y, { batchSize: N, verbose: 0, sampleWeight: w });
    expect(loss).toBeCloseTo(referenceLoss(c, params, temporalWeights), 5);
    expect(loss).not.toBeCloseTo(referenceLoss(c, params), 3);

    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: c.loss });
    await model.fit(x, c.y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0, sampleWeight: w });
    const after = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const reference = finiteDifferenceGradient(params, (p) => referenceLoss(c, p, temporalWeights));
    expectGradientsClose([Float32Array.from(params, (p, i) => p - after[i])], [reference], ['params']);
  });

  it('batches are reduced separately and averaged by batch size, as Keras reports the epoch loss', async () => {
    const c = CASES[0];
    const model = taggerModel(c.activation, 5);
    model.compile({ optimizer: 'sgd', loss: c.loss });
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const outputs = denseRows(data.series, N * STEPS, FEATURES, params.slice(0, FEATURES * C), params.slice(FEATURES * C), c.activation);
    const losses = outputs.map((p, r) => POSITION_LOSS[c.reference](p, Array.from(oneHot.subarray(r * C, (r + 1) * C))));
    const batch = (from: number, to: number) => maskedMean(losses.slice(from * STEPS, to * STEPS), mask.slice(from * STEPS, to * STEPS));
    const [loss] = await model.evaluate(x, c.y, { batchSize: 4, verbose: 0 });
    expect(loss).toBeCloseTo((4 * batch(0, 4) + 2 * batch(4, 6)) / 6, 5);
  });
});
