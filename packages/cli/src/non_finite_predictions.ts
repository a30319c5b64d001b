/**
 * The warning for predictions that are NaN or ±Infinity, if any: how many samples and values, and
 * the likely cause. Such values still print as they are (NaN, or null in JSON), so output formats
 * stay the same. `weightsAreFinite` is asked only when there is something to explain.
 *
 * @example
 * ```ts
 * nonFinitePredictionsWarning(new Float32Array([NaN, 1, 2, 3]), 2, 'row', () => false);
 * // ['1 of 2 rows (1 of 4 predicted values) came out NaN or ±Infinity. The model's weights hold ...']
 * ```
 */
export function nonFinitePredictionsWarning(outputs: Float32Array, outputSize: number, noun: 'image' | 'row', weightsAreFinite: () => boolean): string[] {
  let values = 0;
  let samples = 0;
  for (let start = 0; start < outputs.length; start += outputSize) {
    let inSample = 0;
    for (let i = start; i < start + outputSize; i++) if (!Number.isFinite(outputs[i])) inSample++;
    values += inSample;
    if (inSample > 0) samples++;
  }
  if (values === 0) return [];
  const total = outputs.length / outputSize;
  const count = `${samples} of ${total} ${noun}${total === 1 ? '' : 's'} (${values} of ${outputs.length} predicted value${outputs.length === 1 ? '' : 's'}) came out NaN or ±Infinity`;
  const cause = weightsAreFinite()
    ? "The model's weights are finite, so its values overflow: check the inputs for values far outside the range it was trained on (unscaled features, a wrong column); if its training loss grew instead of falling, train it again with a lower learning rate."
    : "The model's weights hold NaN or Infinity, so its training diverged: train it again with a lower learning rate (--learning-rate, or compile.optimizer's learningRate in a --config file), and check the training data for NaN.";
  return [`${count}. ${cause}`];
}
