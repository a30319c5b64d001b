// tfjs' compile takes loss and metric functions of tensors, and so does kerasm's, on km tensors.
// Functions that cannot be meant that way get an error that says what to pass.

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
 * The error for a function given to `compile` as a loss or a metric that is not one of tensors
 * kerasm can run: a km.losses or km.metrics factory given uncalled, one of tfjs-core's loss ops
 * (`tf.losses.*`), or a function named as a built-in loss or metric (tfjs-layers' `tf.metrics.*`),
 * answered with what to pass. Undefined for any other function, which compile runs on km tensors.
 */
export function refusedFunctionError(what: 'loss' | 'metric', fn: (...args: never[]) => unknown, isName: (name: string) => boolean): Error | undefined {
  const name = fn.name.replace(/__op$/, '').replace(/_$/, '');
  const plural = what === 'loss' ? 'losses' : 'metrics';
  const factory = compileFactoryName(fn);
  if (factory) {
    const use = what === 'loss' ? `loss: km.losses.${factory}()` : `metrics: [km.metrics.${factory}()]`;
    return new Error(`compile's ${what} is the factory km.${plural}.${factory}, not called: tf.${plural} functions are passed as they are, but km.${plural} factories make the ${what}. Call it: ${use}.`);
  }
  // km.losses.cosineDistance computes on tensors, as tfjs' does: the same advice.
  const suggestion = what === 'loss' && (fn.name.endsWith('__op') || fn === cosineDistance) ? TFJS_CORE_LOSSES[name] : isName(name) ? `'${name}'` : undefined;
  if (!suggestion) return undefined;
  const why = `kerasm runs a function of km tensors, but this one is TensorFlow.js' and computes on tfjs tensors; kerasm's built-in ${what} computes the same${what === 'loss' ? ' with its gradient' : ''} in its kernels.`;
  return new Error(`compile's ${what} is the function ${name}; ${why} Pass ${suggestion} instead.`);
}
