import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await km.ready();
});

describe("tf.metrics names in km.metrics", () => {
  it('every tf.metrics name exists in km.metrics', () => {
    expect(Object.keys(tfl.metrics).filter((name) => !(name in km.metrics))).toEqual([]);
  });

  it("the short names are the same factories as their targets (tfjs' mse, MSE, mape, MAPE; Keras' mae, MAE)", () => {
    expect(km.metrics.mse).toBe(km.metrics.meanSquaredError);
    expect(km.metrics.MSE).toBe(km.metrics.meanSquaredError);
    expect(km.metrics.mae).toBe(km.metrics.meanAbsoluteError);
    expect(km.metrics.MAE).toBe(km.metrics.meanAbsoluteError);
    expect(km.metrics.mape).toBe(km.metrics.meanAbsolutePercentageError);
    expect(km.metrics.MAPE).toBe(km.metrics.meanAbsolutePercentageError);
  });

  it('a model compiled with them logs the same values as with the strings', async () => {
    const x = km.tensor([[1, 2], [3, 4], [5, 6]]);
    const y = km.tensor([[1], [2], [4]]);
    const evaluate = async (metrics: (string | km.metrics.Metric)[]) => {
      const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones' })]);
      model.compile({ optimizer: 'sgd', loss: 'mse', metrics });
      return model.evaluate(x, y, { verbose: 0, returnDict: true });
    };
    const byFactory = await evaluate([km.metrics.MSE(), km.metrics.mae(), km.metrics.MAPE()]);
    const byName = await evaluate(['mse', 'mae', 'mape']);
    expect(Object.values(byFactory)).toEqual(Object.values(byName));
    expect(Object.keys(byFactory)).toEqual(['loss', 'mean_squared_error', 'mean_absolute_error', 'mean_absolute_percentage_error']);
  });
});
