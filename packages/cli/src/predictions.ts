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
