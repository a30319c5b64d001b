import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras 3's compile takes class names as strings (metrics=['AUC'], loss='BinaryCrossentropy') and
// logs such a metric under the name as written. Checked against naive references computed here from
// the model's predictions: counts at 0.5 for precision and recall, Keras' 200-threshold trapezoidal
// ROC AUC, and binary cross-entropy with Keras' 1e-7 clip.
beforeAll(() => km.ready());

function binaryProblem() {
  km.utils.setRandomSeed(3);
  const n = 48;
  const x = km.randomNormal([n, 3], 0, 1, 'float32', 5);
  const xs = Array.from(x.dataSync());
  const labels = Array.from({ length: n }, (_, i) => (xs[i * 3] + 0.5 * xs[i * 3 + 1] > 0 ? 1 : 0));
  const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
  return { model, x, y: km.tensor(labels, [n, 1]), labels };
}

function naiveAuc(p: number[], labels: number[]): number {
  const T = 200;
  const thresholds = [-1e-7, ...Array.from({ length: T - 2 }, (_, i) => (i + 1) / (T - 1)), 1 + 1e-7];
  const rates = thresholds.map((th) => {
    let tp = 0, fp = 0, tn = 0, fn = 0;
    p.forEach((v, i) => {
      if (v > th) labels[i] ? tp++ : fp++;
      else labels[i] ? fn++ : tn++;
    });
    return { tpr: tp / (tp + fn), fpr: fp / (fp + tn) };
  });
  let area = 0;
  for (let i = 0; i < T - 1; i++) area += ((rates[i].fpr - rates[i + 1].fpr) * (rates[i].tpr + rates[i + 1].tpr)) / 2;
  return area;
}

describe('Keras class names in compile', () => {
  it("metrics ['AUC', 'Precision', 'Recall'] compute those metrics and log under Keras' default names, auc, precision, recall", async () => {
    const { model, x, y, labels } = binaryProblem();
    model.compile({ optimizer: 'sgd', loss: 'BinaryCrossentropy', metrics: ['AUC', 'Precision', 'Recall'] });
    const history = await model.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y] });
    expect(Object.keys(history.history)).toEqual(['loss', 'auc', 'precision', 'recall', 'val_loss', 'val_auc', 'val_precision', 'val_recall']);

    const p = Array.from(model.predict(x).dataSync());
    let tp = 0, fp = 0, fn = 0;
    p.forEach((v, i) => {
      if (v > 0.5) labels[i] ? tp++ : fp++;
      else if (labels[i]) fn++;
    });
    const bce = p.reduce((s, v, i) => {
      const q = Math.min(Math.max(v, 1e-7), 1 - 1e-7);
      return s - (labels[i] ? Math.log(q) : Math.log(1 - q));
    }, 0) / p.length;
    const result = (await model.evaluate(x, y, { returnDict: true, verbose: 0 })) as Record<string, number>;
    expect(result.precision).toBeCloseTo(tp / (tp + fp), 6);
    expect(result.recall).toBeCloseTo(tp / (tp + fn), 6);
    expect(result.auc).toBeCloseTo(naiveAuc(p, labels), 5);
    expect(result.loss).toBeCloseTo(bce, 5);
  });

  it("a loss-metric class name ('BinaryCrossentropy') is the mean loss, logged as binary_crossentropy", async () => {
    const { model, x, y } = binaryProblem();
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['BinaryCrossentropy', 'KLDivergence', 'LogCoshError'] });
    const result = (await model.evaluate(x, y, { returnDict: true, verbose: 0 })) as Record<string, number>;
    expect(Object.keys(result)).toEqual(['loss', 'binary_crossentropy', 'kl_divergence', 'logcosh']);
    expect(result.binary_crossentropy).toBeCloseTo(result.loss, 6);
  });

  it("loss class names resolve to the same losses: 'Huber', 'KLDivergence', 'MeanSquaredError'", () => {
    const { model } = binaryProblem();
    for (const [given, resolved] of [['Huber', 'huber'], ['KLDivergence', 'kullbackLeiblerDivergence'], ['MeanSquaredError', 'meanSquaredError']]) {
      model.compile({ optimizer: 'sgd', loss: given });
      expect(model.loss).toBe(resolved);
    }
  });

  it("an unknown name spelt in another case names the one meant; Keras' exact-match 'Accuracy' says what to use", () => {
    const { model } = binaryProblem();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['Auc'] })).toThrow(/Unknown metric 'Auc'\. Did you mean 'auc'\?/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['binaryaccuracy'] })).toThrow(/Did you mean 'binaryAccuracy'\?/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['Accuracy'] })).toThrow(/Keras' Accuracy class counts outputs exactly equal to their targets.*use 'accuracy'/);
  });
});
