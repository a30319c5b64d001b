import type { Optimizer } from '../optimizers/optimizer.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { undefinedInCompileError } from './undefined_in_compile.js';
import type { LossSpec, LossWeightsSpec, MetricsArg } from './outputs.js';

/** Options of `model.compile`. */
export interface ModelCompileArgs {
  /** `'adam'`, `'sgd'`, or an optimizer instance from `km.optimizers`. */
  optimizer: string | Optimizer;
  /**
   * A loss name (camelCase, or Keras snake_case), or a configured loss from `km.losses`. A model
   * with several outputs takes one loss for all of them, a list in output order, or an object
   * keyed by output layer name (`{ class: 'sparseCategoricalCrossentropy', value: 'mse' }`).
   */
  loss: LossSpec;
  /** Weights of the output losses in the total loss (default 1 each): a list in output order or an object keyed by output name. */
  lossWeights?: LossWeightsSpec;
  /**
   * Metric names (`['accuracy', 'auc']`) or objects from `km.metrics` (`km.metrics.auc({ curve: 'PR' })`).
   * With several outputs a list applies to every output; an object keyed by output name gives each its own.
   * One metric alone (`metrics: 'accuracy'`) is a list of one, as in tfjs.
   * They ignore sample and class weights, as Keras' `metrics` do.
   */
  metrics?: MetricsArg;
  /**
   * Metrics that weigh each sample by fit's or evaluate's `sampleWeight` or `classWeight` (Keras'
   * `weighted_metrics`), in the same forms as `metrics`. One whose name a metric already logs under
   * logs as `weighted_<name>`; without weights they equal their unweighted forms.
   *
   * @example
   * ```ts
   * model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy', km.metrics.auc()] });
   * const history = await model.fit(x, y, { classWeight: { 0: 1, 1: 10 } });
   * history.history.weighted_accuracy; // accuracy with each positive counted 10 times
   * ```
   */
  weightedMetrics?: MetricsArg;
}

const COMPILE_EXAMPLE = "model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] })";

const COMPILE_OPTIONS = optionNames<ModelCompileArgs>({ optimizer: true, loss: true, lossWeights: true, metrics: true, weightedMetrics: true });

/**
 * Refuses unknown options, and a compile call without its options object, its optimizer or its
 * loss, which fit would otherwise trip over later. `lossOptional`: a model that computes its loss
 * in its own trainStep may be compiled with an optimizer alone, as in Keras.
 */
export function checkCompileArgs(args: unknown, lossOptional = false): asserts args is ModelCompileArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error(`compile takes one object of options, e.g. ${COMPILE_EXAMPLE}.`);
  checkOptions(args as ModelCompileArgs, COMPILE_OPTIONS, 'compile');
  const given = args as Partial<ModelCompileArgs>;
  if ('optimizer' in given && given.optimizer === undefined) throw undefinedInCompileError('optimizer');
  if ('loss' in given && given.loss === undefined) throw undefinedInCompileError('loss');
  if (given.optimizer === undefined) throw new Error(`compile needs an optimizer: a name such as 'adam' or 'sgd', or an instance from km.optimizers (Keras' default is 'rmsprop'), e.g. ${COMPILE_EXAMPLE}.`);
  if (given.loss === undefined && !lossOptional) throw new Error(`compile needs a loss to train and evaluate with: a name such as 'sparseCategoricalCrossentropy' or 'meanSquaredError', or one from km.losses, e.g. ${COMPILE_EXAMPLE}.`);
}
