import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** An identity Dense model, so the metrics see exactly the inputs as predictions. */
function identity(cols: number): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: cols, inputShape: [cols] })]);
  const eye = Array.from({ length: cols }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? 1 : 0)));
  model.setWeights([km.tensor(eye), km.tensor(new Array(cols).fill(0))]);
  return model;
}

/** Keras' TruePositives at 0.5, written the Keras way, recording what each call received. */
function kerasTruePositives(name: string) {
  return {
    name,
    count: 0,
    calls: [] as { yTrue: readonly number[]; yPred: readonly number[]; sampleWeight?: readonly number[]; dtype: string }[],
    reset() {
      this.count = 0;
    },
    updateState(yTrue: km.Tensor, yPred: km.Tensor, sampleWeight?: km.Tensor) {
      this.calls.push({ yTrue: yTrue.shape, yPred: yPred.shape, sampleWeight: sampleWeight?.shape, dtype: yTrue.dtype });
      const t = yTrue.dataSync();
      const p = yPred.dataSync();
      const w = sampleWeight?.dataSync();
      for (let i = 0; i < p.length; i++) if (p[i] > 0.5 && t[i] === 1) this.count += w ? w[i] : 1;
    },
    result() {
      return this.count;
    },
  };
}

describe('a metric in Keras form (updateState with tensors)', () => {
  const preds = [0.9, 0.2, 0.6, 0.4, 0.7, 0.1, 0.8, 0.55, 0.3, 0.95];
  const labels = [1, 0, 0, 1, 1, 1, 1, 1, 0, 0];
  const weights = [2, 1, 3, 1, 0.5, 1, 0, 4, 1, 1.5];

  it('counts true positives as a naive loop over the same data and sample weights does, batch by batch', async () => {
    let weightedTp = 0;
    let tp = 0;
    preds.forEach((p, i) => {
      if (p > 0.5 && labels[i] === 1) {
        weightedTp += weights[i];
        tp += 1;
      }
    });
    const plain = kerasTruePositives('tp');
    const weighted = kerasTruePositives('weighted_tp');
    const model = identity(1);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [plain], weightedMetrics: [weighted, km.metrics.truePositives({ name: 'builtin_tp' })] });
    const x = km.tensor(preds.map((p) => [p]));
    const y = km.tensor(labels.map((l) => [l]));
    const logs = await model.evaluate(x, y, { batchSize: 4, sampleWeight: km.tensor(weights), verbose: 0, returnDict: true });
    expect(logs.tp).toBe(tp);
    expect(logs.weighted_tp).toBeCloseTo(weightedTp, 6);
    expect(logs.builtin_tp).toBeCloseTo(weightedTp, 6);
    // Three batches (4, 4, 2); the unweighted metric gets no weights, as Keras passes sample_weight=None.
    expect(plain.calls.map((c) => [c.yTrue, c.yPred, c.sampleWeight])).toEqual([[[4, 1], [4, 1], undefined], [[4, 1], [4, 1], undefined], [[2, 1], [2, 1], undefined]]);
    expect(weighted.calls.map((c) => c.sampleWeight)).toEqual([[4], [4], [2]]);
  });

  it('reports the mean of the predictions over fit epochs, and receives integer labels as int32 [batch]', async () => {
    const classes = [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1]];
    const meanPrediction = {
      name: 'mean_prediction',
      sum: 0,
      count: 0,
      labelShapes: [] as string[],
      reset() {
        this.sum = 0;
        this.count = 0;
      },
      updateState(yTrue: km.Tensor, yPred: km.Tensor) {
        this.labelShapes.push(`${yTrue.dtype} [${yTrue.shape.join(', ')}]`);
        for (const v of yPred.dataSync()) this.sum += v;
        this.count += yPred.size;
      },
      result() {
        return this.sum / this.count;
      },
    };
    const model = identity(3);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: [meanPrediction] });
    const [loss, mean] = await model.evaluate(km.tensor(classes), km.tensor([2, 1, 0], undefined, 'int32'), { batchSize: 2, verbose: 0 });
    expect(loss).toBeGreaterThan(0);
    expect(mean).toBeCloseTo(classes.flat().reduce((a, b) => a + b, 0) / 9, 6);
    expect(meanPrediction.labelShapes).toEqual(['int32 [2]', 'int32 [1]']);
    const history = await model.fit(km.tensor(classes), km.tensor([2, 1, 0], undefined, 'int32'), { epochs: 2, batchSize: 3, verbose: 0 });
    expect(history.history.mean_prediction).toHaveLength(2);
  });

  it("refuses an update that takes Keras' arguments, and a metric with both forms, at compile", () => {
    const keep = { name: 'm', reset() {}, result: () => 0 };
    const model = identity(1);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [{ ...keep, update: (_yTrue: unknown, _yPred: unknown, _w: unknown) => undefined } as never] })).toThrow(
      "Metric 'm' declares update with 3 parameters, but update receives one km.metrics.MetricBatch (the batch's device buffers). For Keras' signature, name the method updateState(yTrue, yPred, sampleWeight): it receives km.Tensor values.",
    );
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [{ ...keep, update: () => undefined, updateState: () => undefined }] })).toThrow(/Metric 'm' has both update and updateState/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [{ name: 'm', updateState: () => undefined, result: () => 0 } as never] })).toThrow(/received an object with keys \[name, updateState, result\], missing reset\./);
  });

  it("names reset for a metric class written with Keras' resetState, listing the methods on its prototype", () => {
    // Keras' CategoricalTruePositives from the training guide, with Keras' method names camelCased.
    class CategoricalTruePositives {
      name = 'categorical_true_positives';
      truePositives = 0;
      updateState(): void {}
      result(): number {
        return this.truePositives;
      }
      resetState(): void {
        this.truePositives = 0;
      }
    }
    expect(() => identity(1).compile({ optimizer: 'sgd', loss: 'mse', metrics: [new CategoricalTruePositives() as never] })).toThrow(
      /received an object with keys \[name, truePositives, updateState, result, resetState\], missing reset\. Keras' reset_state is named reset here: rename resetState to reset\.$/,
    );
  });
});
