/** One test image's predicted class next to its true label. */
export interface Prediction {
  index: number;
  predicted: number;
  actual: number;
  /** The softmax probability of the predicted class. */
  confidence: number;
}

/**
 * Reads a row-major `[rows, classes]` block of class probabilities and pairs each row's most likely
 * class with its true label.
 *
 * @example
 * ```ts
 * toPredictions([0.1, 0.9, 0.8, 0.2], 2, [1, 1]);
 * // [{ index: 0, predicted: 1, actual: 1, confidence: 0.9 }, { index: 1, predicted: 0, actual: 1, confidence: 0.8 }]
 * ```
 */
export function toPredictions(probabilities: ArrayLike<number>, classes: number, labels: ArrayLike<number>): Prediction[] {
  const rows = probabilities.length / classes;
  if (!Number.isInteger(rows) || rows !== labels.length) {
    throw new Error(
      `Expected ${labels.length} rows of ${classes} probabilities (${labels.length * classes} values), but received ${probabilities.length}.`,
    );
  }
  const predictions: Prediction[] = [];
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (probabilities[row * classes + c] > probabilities[row * classes + best]) best = c;
    }
    predictions.push({ index: row, predicted: best, actual: labels[row], confidence: probabilities[row * classes + best] });
  }
  return predictions;
}

/** How `predict` reads a model's outputs: class probabilities, one probability of class 1, or plain values (a regressor). */
export type OutputKind = 'classes' | 'binary' | 'values';

/**
 * Reads the output's meaning from the compiled loss: a categorical loss means classes, binary
 * cross-entropy on one output means a probability of class 1, any other loss means values. A model
 * saved without its loss is read as a classifier when it outputs several values per sample.
 */
export function outputKind(loss: string | undefined, outputSize: number): OutputKind {
  if (loss === undefined) return outputSize > 1 ? 'classes' : 'values';
  if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') return 'classes';
  return loss === 'binaryCrossentropy' && outputSize === 1 ? 'binary' : 'values';
}

const SUM_TOLERANCE = 1e-3;

/**
 * Each row's class probabilities: rows that already are distributions are kept, and a classifier
 * that outputs logits (a loss `fromLogits`, a final linear layer) gets the softmax of its rows. A
 * binary classifier's probability p of class 1 becomes the row `[1 - p, p]`.
 */
export function classProbabilities(outputs: Float32Array, kind: 'classes' | 'binary', outputSize: number): Float32Array {
  if (kind === 'binary') {
    const rows = new Float32Array(outputs.length * 2);
    const logits = outputs.some((v) => v < 0 || v > 1);
    outputs.forEach((v, i) => {
      const p = logits ? 1 / (1 + Math.exp(-v)) : v;
      rows[2 * i] = 1 - p;
      rows[2 * i + 1] = p;
    });
    return rows;
  }
  const rows = outputs.length / outputSize;
  const isDistribution = (r: number): boolean => {
    const row = outputs.subarray(r * outputSize, (r + 1) * outputSize);
    return row.every((v) => v >= 0 && v <= 1) && Math.abs(row.reduce((a, b) => a + b, 0) - 1) <= SUM_TOLERANCE;
  };
  if (Array.from({ length: rows }, (_, r) => r).every(isDistribution)) return outputs;
  const probabilities = new Float32Array(outputs.length);
  for (let r = 0; r < rows; r++) {
    const row = outputs.subarray(r * outputSize, (r + 1) * outputSize);
    const max = Math.max(...row);
    let sum = 0;
    for (let c = 0; c < outputSize; c++) sum += probabilities[r * outputSize + c] = Math.exp(row[c] - max);
    for (let c = 0; c < outputSize; c++) probabilities[r * outputSize + c] /= sum;
  }
  return probabilities;
}
