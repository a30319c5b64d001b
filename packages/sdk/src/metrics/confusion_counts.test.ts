// Keras' TruePositives, FalsePositives, TrueNegatives and FalseNegatives against counts taken by a
// plain loop over the model's own predictions.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const n = 50;
const features = km.tensor(Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7) * 2), [n, 3]);
// Two sigmoid outputs per sample: the counts run over every output value.
const targetValues = Float32Array.from({ length: n * 2 }, (_, i) => (Math.cos(i * 0.9) > 0 ? 1 : 0));
const targets = km.tensor(targetValues, [n, 2]);
const sampleWeight = Float32Array.from({ length: n }, (_, i) => (i % 4) + 0.5);

function model(metrics: km.ModelCompileArgs['metrics'], weightedMetrics?: km.ModelCompileArgs['weightedMetrics']) {
  km.utils.setRandomSeed(3);
  const m = km.sequential([km.layers.dense({ units: 2, inputShape: [3], activation: 'sigmoid' })]);
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics, weightedMetrics });
  return m;
}

/** [tp, fp, tn, fn] of p > threshold against the targets, each value weighted by its sample's weight. */
function counted(p: Float32Array, threshold: number, weights?: Float32Array): number[] {
  const counts = [0, 0, 0, 0];
  p.forEach((value, i) => {
    const w = weights ? weights[Math.floor(i / 2)] : 1;
    const [positive, truth] = [value > threshold, targetValues[i] !== 0];
    counts[positive && truth ? 0 : positive ? 1 : truth ? 3 : 2] += w;
  });
  return counts;
}

describe('confusion counts', () => {
  it('count the outputs on each side of the threshold over all batches, by name or configured', async () => {
    const m = model(['true_positives', 'falsePositives', 'trueNegatives', 'false_negatives', km.metrics.truePositives({ thresholds: 0.3, name: 'tp_at_0.3' })]);
    const logs = (await m.evaluate(features, targets, { batchSize: 16, verbose: 0, returnDict: true })) as Record<string, number>;
    const p = m.predict(features).dataSync() as Float32Array;
    const [tp, fp, tn, fn] = counted(p, 0.5);
    expect(logs).toEqual({ loss: expect.any(Number), true_positives: tp, falsePositives: fp, trueNegatives: tn, false_negatives: fn, 'tp_at_0.3': counted(p, 0.3)[0] });
    expect(tp + fp + tn + fn).toBe(2 * n);
    // Not every case is empty, or the test would prove little.
    expect(Math.min(tp, fp, tn, fn)).toBeGreaterThan(0);
  });

  it('as weighted metrics, each value counts its sample weight', async () => {
    const m = model([], [km.metrics.truePositives(), km.metrics.falsePositives(), km.metrics.trueNegatives(), km.metrics.falseNegatives()]);
    const logs = (await m.evaluate(features, targets, { batchSize: 16, sampleWeight, verbose: 0, returnDict: true })) as Record<string, number>;
    const expected = counted(m.predict(features).dataSync() as Float32Array, 0.5, sampleWeight);
    ['true_positives', 'false_positives', 'true_negatives', 'false_negatives'].forEach((name, k) => expect(logs[name]).toBeCloseTo(expected[k], 4));
  });

  it('save with their threshold and load back', async () => {
    const m = model([km.metrics.falseNegatives({ thresholds: 0.7 }), 'true_negatives']);
    let saved: km.io.ModelArtifacts | undefined;
    await m.save(km.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(saved!.trainingConfig?.metrics).toEqual([{ class_name: 'FalseNegatives', config: { name: 'false_negatives', thresholds: 0.7 } }, 'true_negatives']);
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(await loaded.evaluate(features, targets, { verbose: 0 })).toEqual(await m.evaluate(features, targets, { verbose: 0 }));
  });

  it('refuse a threshold outside [0, 1] and integer labels', async () => {
    expect(() => km.metrics.truePositives({ thresholds: 1.5 })).toThrow('thresholds must be in [0, 1]. Received: thresholds=1.5.');
    expect(() => km.metrics.trueNegatives({ classId: 1 } as never)).toThrow(/km\.metrics\.trueNegatives has no option 'classId'/);
    const sparse = km.sequential([km.layers.dense({ units: 3, inputShape: [3], activation: 'softmax' })]);
    sparse.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['true_positives'] });
    await expect(sparse.evaluate(features, km.tensor(new Float32Array(n)), { verbose: 0 })).rejects.toThrow(/the confusion counts compare each output with a 0\/1 target/);
  });
});
