// Keras' class_weight under a km.Model's own trainStep: Keras turns it into sample weights before
// the step, one per sample from its class (an integer label, or the argmax of a one-hot row), and
// the step receives them as data[2].
import { describeValue } from '../ops/operand.js';
import { Tensor } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import { weightsByClass, type ClassWeight } from './sample_weights.js';
import type { TensorsSpec } from './outputs.js';

/** `classWeight` checked as one {@link ClassWeight}: a weight ≥ 0 per class index. */
export function checkedClassWeight(where: string, classWeight: unknown): ClassWeight {
  const valid = isPlainObject(classWeight) && Object.entries(classWeight).every(([k, v]) => /^\d+$/.test(k) && typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (!valid) {
    throw new Error(`${where}: classWeight must map class indices to weights ≥ 0, e.g. { 0: 1, 1: 5 }: a trainStep gets them as per-sample weights of one output's classes. Received: classWeight=${JSON.stringify(classWeight) ?? describeValue(classWeight)}.`);
  }
  return classWeight as ClassWeight;
}

/** One weight per sample of `y`, labels `[n]` or `[n, 1]` or one-hot rows `[n, classes]`: the weight of its class (classes left out weigh 1). */
export function classSampleWeights(where: string, classWeight: ClassWeight, y: TensorsSpec | undefined): Tensor<'float32'> {
  if (!(y instanceof Tensor) || y.rank < 1 || y.rank > 2) {
    throw new Error(`${where}: classWeight weighs the samples by their class in y, which must be one tensor of labels [n] or one-hot rows [n, classes]. Received: y=${y instanceof Tensor ? `a tensor of shape [${y.shape.join(', ')}]` : describeValue(y)}.`);
  }
  return new Tensor(weightsByClass(y, classWeight), [y.shape[0]], 'float32');
}
