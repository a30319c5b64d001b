import * as km from '../index.js';

/**
 * A model whose outputs are its inputs (identity Dense), so metrics see exactly the predictions we
 * choose: `[cols]` per sample, or `[steps, cols]` (a per-position output) when `steps` is given.
 */
export function identityModel(cols: number, loss: string, metrics: (string | km.metrics.Metric)[], steps?: number): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: cols, inputShape: steps === undefined ? [cols] : [steps, cols] })]);
  model.compile({ optimizer: 'sgd', loss, metrics });
  const eye = Array.from({ length: cols }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? 1 : 0)));
  model.setWeights([km.tensor(eye), km.tensor(new Array(cols).fill(0))]);
  return model;
}

/**
 * The metrics (not the loss) of `evaluate` on an identity model fed `preds` (`[n, cols]`, or
 * `[n, steps, cols]`), so they score exactly those predictions.
 */
export async function metricValues(preds: number[][] | number[][][], targets: km.Tensor, loss: string, metrics: (string | km.metrics.Metric)[], batchSize = 2): Promise<number[]> {
  const first = preds[0];
  const model = Array.isArray(first[0]) ? identityModel((first[0] as number[]).length, loss, metrics, first.length) : identityModel(first.length, loss, metrics);
  return (await model.evaluate(km.tensor(preds), targets, { verbose: 0, batchSize })).slice(1);
}
