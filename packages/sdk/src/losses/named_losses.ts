import { getLoss, type Loss, type LossName } from './losses.js';
import { checkOptions } from '../utils/options.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { isTensorCall } from '../utils/tensor_call.js';
import { meanSquaredErrorOf } from './tensor_functions.js';
import type { Reduction } from './weighted_losses.js';

// Factories for the losses compile takes by name with no options, so `loss: km.losses.meanSquaredError()`
// reads as the configurable ones do (and as tfjs' `tf.losses.meanSquaredError` is written).

function namedLoss(name: LossName): (args?: Record<string, never>) => Loss {
  return (args) => {
    checkOptions(args, [], `km.losses.${name}`);
    return getLoss(name);
  };
}

const meanSquaredErrorLoss = namedLoss('meanSquaredError');

/**
 * Mean (p − t)² over the last axis, then the batch: the same as `loss: 'meanSquaredError'` (or `'mse'`).
 * Called with tensors, as `tf.losses.meanSquaredError(labels, predictions, weights?, reduction?)`:
 * (labels − predictions)², weighted and reduced as `km.losses.computeWeightedLoss` (default
 * SUM_BY_NONZERO_WEIGHTS, the mean of all values), computed now.
 * @example `model.compile({ optimizer: 'sgd', loss: km.losses.meanSquaredError() })`
 * @example `km.losses.meanSquaredError(km.tensor([[0, 1], [3, 4]]), km.tensor([[0, 1], [-3, -4]])).dataSync() // [25]`
 */
export function meanSquaredError(labels: Tensor | TensorLike, predictions: Tensor | TensorLike, weights?: Tensor | TensorLike | null, reduction?: Reduction): Tensor;
export function meanSquaredError(args?: Record<string, never>): Loss;
export function meanSquaredError(...args: unknown[]): Loss | Tensor {
  if (isTensorCall(args)) return meanSquaredErrorOf(...(args as Parameters<typeof meanSquaredErrorOf>));
  return meanSquaredErrorLoss(args[0] as Record<string, never>);
}
/** Mean |p − t|: the same as `loss: 'meanAbsoluteError'` (or `'mae'`). @example `km.losses.meanAbsoluteError()` */
export const meanAbsoluteError = namedLoss('meanAbsoluteError');
/** 100·mean |(t − p) / t|: the same as `loss: 'meanAbsolutePercentageError'` (or `'mape'`). @example `km.losses.meanAbsolutePercentageError()` */
export const meanAbsolutePercentageError = namedLoss('meanAbsolutePercentageError');
/** Mean (log(p + 1) − log(t + 1))²: the same as `loss: 'meanSquaredLogarithmicError'` (or `'msle'`). @example `km.losses.meanSquaredLogarithmicError()` */
export const meanSquaredLogarithmicError = namedLoss('meanSquaredLogarithmicError');
/** Mean log(cosh(p − t)): the same as `loss: 'logCosh'` (or tfjs' `'logcosh'`). @example `km.losses.logCosh()` */
export const logCosh = namedLoss('logCosh');
/** Mean p − t·log p: the same as `loss: 'poisson'`. @example `km.losses.poisson()` */
export const poisson = namedLoss('poisson');
/** Σ t·log(t / p) over the last axis: the same as `loss: 'kullbackLeiblerDivergence'` (or `'kld'`). @example `km.losses.kullbackLeiblerDivergence()` */
export const kullbackLeiblerDivergence = namedLoss('kullbackLeiblerDivergence');
/** Mean max(0, 1 − t·p), a batch of 0/1 targets taken as −1/1 as Keras does: the same as `loss: 'hinge'`. @example `km.losses.hinge()` */
export const hinge = namedLoss('hinge');
/** Mean max(0, 1 − t·p)², targets as {@link hinge} takes them: the same as `loss: 'squaredHinge'`. @example `km.losses.squaredHinge()` */
export const squaredHinge = namedLoss('squaredHinge');
