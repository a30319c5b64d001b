import * as km from '../index.js';

/** A model whose outputs are its inputs (identity Dense), so metrics see exactly the predictions we choose. */
export function identityModel(cols: number, loss: string, metrics: (string | km.metrics.Metric)[]): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: cols, inputShape: [cols] })]);
  model.compile({ optimizer: 'sgd', loss, metrics });
  const eye = Array.from({ length: cols }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? 1 : 0)));
  model.setWeights([km.tensor(eye), km.tensor(new Array(cols).fill(0))]);
  return model;
}

/** The metrics (not the loss) of `evaluate` on an identity model fed `preds`, so they score exactly those predictions. */
export async function metricValues(preds: number[][], targets: km.Tensor, loss: string, metrics: (string | km.metrics.Metric)[], batchSize = 2): Promise<number[]> {
  const model = identityModel(preds[0].length, loss, metrics);
  return (await model.evaluate(km.tensor(preds), targets, { verbose: 0, batchSize })).slice(1);
}
