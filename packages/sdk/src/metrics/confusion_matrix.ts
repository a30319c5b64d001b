import { Tensor } from '../tensor.js';

function classIndices(values: Tensor | ArrayLike<number>, what: string, numClasses: number): ArrayLike<number> {
  const data = values instanceof Tensor ? values.dataSync() : values;
  if (values instanceof Tensor && values.rank !== 1) {
    throw new Error(`confusionMatrix: ${what} must be a 1-D list of class indices; received shape [${values.shape.join(', ')}]. Take the argmax of one-hot rows or probabilities first.`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isInteger(data[i]) || data[i] < 0 || data[i] >= numClasses) {
      throw new Error(`confusionMatrix: ${what}[${i}] = ${data[i]} is not a class index in [0, ${numClasses - 1}]. Pass integer classes below numClasses=${numClasses}.`);
    }
  }
  return data;
}

/**
 * The confusion matrix of integer labels against integer predictions: entry [i, j] counts samples
 * of class i predicted as j (tf.math.confusion_matrix's layout).
 *
 * @example
 * ```ts
 * const predicted = km.tensor(Array.from(model.predict(x).arraySync() as number[][], (row) => row.indexOf(Math.max(...row))), undefined, 'int32');
 * km.metrics.confusionMatrix(yTest, predicted, 10).arraySync(); // 10×10 counts
 * ```
 */
export function confusionMatrix(labels: Tensor | ArrayLike<number>, predictions: Tensor | ArrayLike<number>, numClasses: number): Tensor<'int32'> {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`confusionMatrix: numClasses must be a positive integer. Received: numClasses=${numClasses}.`);
  const truth = classIndices(labels, 'labels', numClasses);
  const predicted = classIndices(predictions, 'predictions', numClasses);
  if (truth.length !== predicted.length) {
    throw new Error(`confusionMatrix: labels and predictions must have the same length; received ${truth.length} labels and ${predicted.length} predictions.`);
  }
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < truth.length; i++) counts[truth[i] * numClasses + predicted[i]]++;
  return new Tensor(counts, [numClasses, numClasses], 'int32');
}
