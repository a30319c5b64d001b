import { getLoss, type Loss, type LossName } from './losses.js';
import { checkOptions } from '../utils/options.js';

// Factories for the losses compile takes by name with no options, so `loss: km.losses.meanSquaredError()`
// reads as the configurable ones do (and as tfjs' `tf.losses.meanSquaredError` is written).

function namedLoss(name: LossName): (args?: Record<string, never>) => Loss {
  return (args) => {
    checkOptions(args, [], `km.losses.${name}`);
    return getLoss(name);
  };
}

/** Mean (p − t)² over the last axis, then the batch: the same as `loss: 'meanSquaredError'` (or `'mse'`). @example `model.compile({ optimizer: 'sgd', loss: km.losses.meanSquaredError() })` */
export const meanSquaredError = namedLoss('meanSquaredError');
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
