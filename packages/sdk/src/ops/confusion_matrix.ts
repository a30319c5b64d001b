// km.math: tfjs-core's tf.math.confusionMatrix.
import { Tensor, type TensorLike } from '../tensor.js';
import { hostValues, operand } from './operand.js';

function classIds(fn: string, name: string, t: Tensor, numClasses: number): ArrayLike<number> {
  const values = hostValues(fn, t);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isInteger(values[i]) || values[i] < 0 || values[i] >= numClasses) {
      throw new Error(`${fn}: ${name} must hold class indices, integers in [0, numClasses) = [0, ${numClasses}) (raise numClasses, or map the labels to 0..${numClasses - 1}). Received: ${name}[${i}]=${values[i]}.`);
    }
  }
  return values;
}

/**
 * The `[numClasses, numClasses]` int32 confusion matrix of 1-D `labels` and `predictions` (class
 * indices, one per example), as `tf.math.confusionMatrix`: entry (i, j) counts the examples of
 * class i predicted as class j. tfjs truncates a fractional index, counts an index outside
 * [0, numClasses) nowhere (its one-hot row is all 0) and refuses numClasses 1; kerasm throws naming
 * the index, and takes numClasses 1.
 * @example `km.math.confusionMatrix(km.tensor([0, 1, 1], undefined, 'int32'), km.argMax(probs, 1), 2)`
 */
export function confusionMatrix(labels: Tensor | TensorLike, predictions: Tensor | TensorLike, numClasses: number): Tensor<'int32'> {
  const fn = 'km.math.confusionMatrix()';
  const truth = operand(fn, 'labels', labels);
  const guess = operand(fn, 'predictions', predictions);
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`${fn}: numClasses must be a positive integer, the number of classes. Received: numClasses=${JSON.stringify(numClasses)}.`);
  if (truth.rank !== 1) throw new Error(`${fn}: labels must be 1-D, one class index per example (for one-hot labels use km.argMax(labels, 1)). Received: labels.shape=[${truth.shape.join(', ')}].`);
  if (guess.rank !== 1) throw new Error(`${fn}: predictions must be 1-D, one class index per example (for probabilities use km.argMax(predictions, 1)). Received: predictions.shape=[${guess.shape.join(', ')}].`);
  if (truth.shape[0] !== guess.shape[0]) throw new Error(`${fn}: labels and predictions must have one entry per example each. Received: labels.shape=[${truth.shape[0]}], predictions.shape=[${guess.shape[0]}].`);
  const [rows, columns] = [classIds(fn, 'labels', truth, numClasses), classIds(fn, 'predictions', guess, numClasses)];
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < rows.length; i++) counts[rows[i] * numClasses + columns[i]]++;
  return new Tensor(counts, [numClasses, numClasses], 'int32');
}
