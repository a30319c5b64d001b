// tfjs' compile takes loss and metric functions of tensors; kerasm's kernels compute each loss and
// its gradient themselves, so a function has nothing kerasm can run. These errors say what to pass.

import { compileFactoryName } from '../utils/compile_factories.js';
import { cosineDistance } from '../losses/weighted_losses.js';

/** kerasm's counterparts of tfjs-core's loss ops (`tf.losses.*`), whose names tfjs suffixes with `__op`. */
const TFJS_CORE_LOSSES: Readonly<Record<string, string>> = {
  meanSquaredError: "'meanSquaredError'",
  absoluteDifference: "'meanAbsoluteError'",
  logLoss: "'binaryCrossentropy'",
  huberLoss: "'huber' (or km.losses.huber({ delta }))",
  hingeLoss: "'hinge'",
  softmaxCrossEntropy: 'km.losses.categoricalCrossentropy({ fromLogits: true })',
  sigmoidCrossEntropy: 'km.losses.binaryCrossentropy({ fromLogits: true })',
  cosineDistance: "'cosineSimilarity' (Keras' −cos where cosineDistance is 1 − cos: the same gradient)",
};

/**
 * The error for a function given to `compile` as a loss or a metric. `isName` says whether a name is
 * one kerasm takes there, so a tfjs-layers function such as `tf.metrics.binaryAccuracy` is answered
 * with its name.
 */
export function functionInCompileError(what: 'loss' | 'metric', fn: (...args: never[]) => unknown, isName: (name: string) => boolean): Error {
  const name = fn.name.replace(/__op$/, '').replace(/_$/, '');
  const plural = what === 'loss' ? 'losses' : 'metrics';
  const factory = compileFactoryName(fn);
  if (factory) {
    const use = what === 'loss' ? `loss: km.losses.${factory}()` : `metrics: [km.metrics.${factory}()]`;
    return new Error(`compile's ${what} is the factory km.${plural}.${factory}, not called: tf.${plural} functions are passed as they are, but km.${plural} factories make the ${what}. Call it: ${use}.`);
  }
  // km.losses.cosineDistance computes on tensors, as tfjs' does: the same advice.
  const suggestion = what === 'loss' && (fn.name.endsWith('__op') || fn === cosineDistance) ? TFJS_CORE_LOSSES[name] : isName(name) ? `'${name}'` : undefined;
  const given = name === '' ? 'an anonymous function' : `the function ${name}`;
  const why = `kerasm takes ${plural} by name or as km.${plural} objects: its kernels compute each ${what}${what === 'loss' ? ' and its gradient' : ''} themselves and do not run a function's tensor ops.`;
  if (suggestion) return new Error(`compile's ${what} is ${given}; ${why} Pass ${suggestion} instead.`);
  const custom =
    what === 'loss'
      ? "Pick a built-in loss by name ('meanSquaredError', 'binaryCrossentropy', ...) or a configured one (km.losses.huber({ delta: 2 })); the 'Unknown loss' error lists every name. " +
        'For a loss of your own, pass a km.losses.Loss object that computes the loss and writes its gradient (docs/CUSTOM_LOSSES.md).'
      : "For a metric of your own, pass an object with name, reset, result and update(batch), or Keras' updateState(yTrue, yPred, sampleWeight), which receives km.Tensor values (km.metrics lists the built-in ones).";
  return new Error(`compile's ${what} is ${given}; ${why} ${custom}`);
}
