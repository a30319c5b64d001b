import { elementwiseLoss, huberLoss as huberElementwise } from './elementwise.js';
import { binaryCrossentropyLoss, CROSS_ENTROPIES, getLoss, type Loss } from './losses.js';
import { ROWWISE_LOSSES } from './rowwise.js';
import { checkBooleanOption, checkNotTensor, checkNumberOption, checkOptions, optionNames } from '../utils/options.js';
import { BINARY_FOCAL_DEFAULTS, binaryFocalLoss, CATEGORICAL_FOCAL_DEFAULTS, categoricalFocalLoss } from './focal.js';
import { DICE, overlapLoss, tverskyCoefficients, type OverlapAxis } from './overlap.js';
import * as named from './named_losses.js';
import { markCompileFactories } from '../utils/compile_factories.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { isTensorCall } from '../utils/tensor_call.js';
import * as onTensors from './tensor_functions.js';
import type { Reduction } from './weighted_losses.js';

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs {
  /** The model outputs logits (no softmax/sigmoid); the loss applies it, stably (default false). */
  fromLogits?: boolean;
}

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossentropyArgs extends CrossentropyArgs {
  /**
   * Targets t become t·(1 − s) + s/2 in the loss (default 0), from probabilities or logits, as in
   * Keras 3; metrics such as binary accuracy still compare with the targets as given.
   */
  labelSmoothing?: number;
}

/**
 * Binary cross-entropy with Keras' options.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.binaryCrossentropy({ labelSmoothing: 0.1 }), metrics: ['accuracy'] })`
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }) })`
 */
export function binaryCrossentropy(args: BinaryCrossentropyArgs = {}): Loss {
  checkOptions(args, optionNames<BinaryCrossentropyArgs>({ fromLogits: true, labelSmoothing: true }), 'km.losses.binaryCrossentropy');
  const smoothing = args.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) {
    throw new Error(`binaryCrossentropy: labelSmoothing must be in [0, 1]. Received: labelSmoothing=${smoothing}.`);
  }
  if (!args.fromLogits) {
    if (smoothing === 0) return CROSS_ENTROPIES.binaryCrossentropy;
    return { ...binaryCrossentropyLoss(smoothing), savedAs: { className: 'BinaryCrossentropy', config: { fromLogits: false, labelSmoothing: smoothing } } };
  }
  const loss = elementwiseLoss('binaryCrossentropy', 'binaryCrossentropyFromLogits', { param: smoothing, validate: CROSS_ENTROPIES.binaryCrossentropy.validateTargets });
  return { ...loss, savedAs: { className: 'BinaryCrossentropy', config: { fromLogits: true, labelSmoothing: smoothing } } };
}

/** Options of the softmax cross-entropies. */
export interface CategoricalCrossentropyArgs extends CrossentropyArgs {
  /** One-hot targets become t·(1 − s) + s/classes, as in Keras (default 0). */
  labelSmoothing?: number;
}

/** Softmax cross-entropy applied to logits (for both target forms) instead of probabilities. */
function fromLogits(base: Loss): Loss {
  return { ...base, compute: (backend, output, targets, grad, batch, outputShape, _fused, weights) => base.compute(backend, output, targets, grad, batch, outputShape, true, weights) };
}

function checkSmoothing(loss: string, smoothing: number): number {
  if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`${loss}: labelSmoothing must be in [0, 1]. Received: labelSmoothing=${smoothing}.`);
  return smoothing;
}

/**
 * Smooths targets on the host once, before training: the loss stays linear in them, so the fused
 * softmax kernels need no smoothing of their own. Sparse labels become smoothed one-hot rows.
 */
function smoothed(base: Loss, smoothing: number): Loss {
  return {
    ...base,
    sparseTargets: false,
    transformTargets(values, outputShape) {
      const classes = outputShape[outputShape.length - 1];
      const off = smoothing / classes;
      if (!base.sparseTargets) return Float32Array.from(values, (t) => t * (1 - smoothing) + off);
      const rows = new Float32Array(values.length * classes).fill(off);
      values.forEach((label, i) => (rows[i * classes + label] += 1 - smoothing));
      return rows;
    },
    compute: (backend, output, targets, grad, batch, outputShape, fused, weights) => CROSS_ENTROPIES.categoricalCrossentropy.compute(backend, output, targets, grad, batch, outputShape, fused, weights),
  };
}

function softmaxCrossentropy(base: Loss, className: string, args: CategoricalCrossentropyArgs): Loss {
  const smoothing = checkSmoothing(base.name, args.labelSmoothing ?? 0);
  const loss = smoothing > 0 ? smoothed(base, smoothing) : base;
  const configured = args.fromLogits ? fromLogits(loss) : loss;
  return configured === base ? base : { ...configured, savedAs: { className, config: { fromLogits: Boolean(args.fromLogits), labelSmoothing: smoothing } } };
}

/** Categorical cross-entropy (one-hot targets). @example `km.losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })` */
export function categoricalCrossentropy(args: CategoricalCrossentropyArgs = {}): Loss {
  checkOptions(args, optionNames<CategoricalCrossentropyArgs>({ fromLogits: true, labelSmoothing: true }), 'km.losses.categoricalCrossentropy');
  return softmaxCrossentropy(CROSS_ENTROPIES.categoricalCrossentropy, 'CategoricalCrossentropy', args);
}

/**
 * Sparse categorical cross-entropy (integer labels); with `labelSmoothing` the labels are smoothed
 * as one-hot rows would be.
 * @example `km.losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })`
 */
export function sparseCategoricalCrossentropy(args: CategoricalCrossentropyArgs = {}): Loss {
  checkOptions(args, optionNames<CategoricalCrossentropyArgs>({ fromLogits: true, labelSmoothing: true }), 'km.losses.sparseCategoricalCrossentropy');
  return softmaxCrossentropy(CROSS_ENTROPIES.sparseCategoricalCrossentropy, 'SparseCategoricalCrossentropy', args);
}

/** Categorical hinge: max(0, 1 + max((1 − t)·p) − Σ t·p) per sample, for one-hot targets. @example `km.losses.categoricalHinge()` */
export function categoricalHinge(args?: Record<string, never>): Loss {
  checkOptions(args, [], 'km.losses.categoricalHinge');
  return ROWWISE_LOSSES.categoricalHinge;
}

/** Negative cosine similarity between each output row and its target row (Keras' sign). @example `km.losses.cosineSimilarity()` */
export function cosineSimilarity(args?: Record<string, never>): Loss {
  checkOptions(args, [], 'km.losses.cosineSimilarity');
  return ROWWISE_LOSSES.cosineSimilarity;
}

/** Huber loss: quadratic within `delta` of the target, linear beyond. @example `km.losses.huber({ delta: 0.5 })` */
export function huber(args: { delta?: number } = {}): Loss {
  checkOptions(args, ['delta'], 'km.losses.huber');
  const delta = args.delta ?? 1;
  return { ...huberElementwise(delta), savedAs: { className: 'Huber', config: { delta } } };
}

/** Options of {@link binaryFocalCrossentropy}: Keras 3's, with its defaults. */
export interface BinaryFocalCrossentropyArgs extends CrossentropyArgs {
  /** Focusing parameter γ ≥ 0: each term is scaled by (1 − p_t)^γ (default 2; 0 gives binary cross-entropy). */
  gamma?: number;
  /** Weight of class 1, in [0, 1]; class 0 weighs 1 − alpha. Used only with applyClassBalancing (default 0.25). */
  alpha?: number;
  /** Weigh the two classes by alpha (default false). */
  applyClassBalancing?: boolean;
  /** Targets t become t·(1 − s) + s/2 (default 0). */
  labelSmoothing?: number;
}

const unitInterval = (v: number) => v >= 0 && v <= 1;
const nonNegative = (v: number) => v >= 0 && Number.isFinite(v);

/**
 * Binary focal cross-entropy (Keras 3's BinaryFocalCrossentropy): binary cross-entropy with each
 * term scaled by (1 − p_t)^γ, for imbalanced classes and detection heads.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.binaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true, alpha: 0.75 }) })`
 */
export function binaryFocalCrossentropy(args: BinaryFocalCrossentropyArgs = {}): Loss {
  const where = 'km.losses.binaryFocalCrossentropy';
  checkOptions(args, optionNames<BinaryFocalCrossentropyArgs>({ gamma: true, alpha: true, applyClassBalancing: true, fromLogits: true, labelSmoothing: true }), where);
  const d = BINARY_FOCAL_DEFAULTS;
  const options = {
    gamma: checkNumberOption(args.gamma ?? d.gamma, 'gamma', where, nonNegative, 'a finite number ≥ 0 (0 turns the focal factor off)'),
    alpha: checkNumberOption(args.alpha ?? d.alpha, 'alpha', where, unitInterval, 'in [0, 1] (the weight of class 1)'),
    applyClassBalancing: checkBooleanOption(args.applyClassBalancing ?? d.applyClassBalancing, 'applyClassBalancing', where),
    fromLogits: checkBooleanOption(args.fromLogits ?? d.fromLogits, 'fromLogits', where),
    labelSmoothing: checkNumberOption(args.labelSmoothing ?? d.labelSmoothing, 'labelSmoothing', where, unitInterval, 'in [0, 1]'),
  };
  return { ...binaryFocalLoss(options), savedAs: { className: 'BinaryFocalCrossentropy', config: { ...options } } };
}

/** Options of {@link categoricalFocalCrossentropy}: Keras 3's, with its defaults. */
export interface CategoricalFocalCrossentropyArgs extends CategoricalCrossentropyArgs {
  /** Weight of every term, a number ≥ 0 (default 0.25). For per-class weights, pass fit's classWeight. */
  alpha?: number;
  /** Focusing parameter γ ≥ 0: each class term is scaled by (1 − p)^γ (default 2). */
  gamma?: number;
}

/**
 * Categorical focal cross-entropy (Keras 3's CategoricalFocalCrossentropy) for one-hot targets;
 * Keras has no sparse form, so integer labels go through km.utils.toCategorical first.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.categoricalFocalCrossentropy({ gamma: 2, alpha: 0.25 }) })`
 */
export function categoricalFocalCrossentropy(args: CategoricalFocalCrossentropyArgs = {}): Loss {
  const where = 'km.losses.categoricalFocalCrossentropy';
  checkOptions(args, optionNames<CategoricalFocalCrossentropyArgs>({ alpha: true, gamma: true, fromLogits: true, labelSmoothing: true }), where);
  if (Array.isArray(args.alpha)) {
    throw new Error(`${where}: alpha must be one number; kerasm has no per-class alpha list. Received: alpha=${JSON.stringify(args.alpha)}. For per-class weights pass classWeight to fit(), e.g. { classWeight: { 0: 1, 1: 5 } }.`);
  }
  const d = CATEGORICAL_FOCAL_DEFAULTS;
  const options = {
    alpha: checkNumberOption(args.alpha ?? d.alpha, 'alpha', where, nonNegative, 'a finite number ≥ 0'),
    gamma: checkNumberOption(args.gamma ?? d.gamma, 'gamma', where, nonNegative, 'a finite number ≥ 0 (0 turns the focal factor off)'),
    fromLogits: checkBooleanOption(args.fromLogits ?? d.fromLogits, 'fromLogits', where),
    labelSmoothing: checkNumberOption(args.labelSmoothing ?? d.labelSmoothing, 'labelSmoothing', where, unitInterval, 'in [0, 1]'),
  };
  return { ...categoricalFocalLoss(options), savedAs: { className: 'CategoricalFocalCrossentropy', config: { ...options } } };
}

/** Options of {@link dice}. */
export interface DiceArgs {
  /**
   * The axes each overlap is taken over, counting the batch as 0 (Keras' `axis`): one overlap for each
   * position of the other axes, averaged; e.g. `[1, 2, 3]` for one per image of `[batch, h, w, c]`
   * masks, `[1, 2]` for one per image and class. Default null: one overlap over the whole batch.
   * Sample weights, class weights and a mask weigh each overlap as in Keras 3; over the whole batch
   * they only scale it by their mean (docs/FROM_TFJS.md).
   */
  axis?: OverlapAxis;
}

/** Checks a Dice or Tversky `axis` option: null, an integer or a list of integers. */
function overlapAxis(axis: unknown, where: string): OverlapAxis {
  if (axis === undefined || axis === null) return null;
  const axes = Array.isArray(axis) ? axis : [axis];
  if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
    throw new Error(`${where}: axis must be null (the whole batch), an integer or a list of integers counting the batch as 0, e.g. [1, 2, 3]. Received: axis=${JSON.stringify(axis)}.`);
  }
  return Array.isArray(axis) ? [...(axis as number[])] : (axis as number);
}

/**
 * Dice loss, 1 − 2·Σt·p / (Σt + Σp + 1e-7) (Keras 3's Dice), for segmentation masks shaped like the
 * output: by default one overlap over the whole batch (axis=None), or one per sample (and class)
 * with `axis: [1, 2, 3]` (`[1, 2]`), averaged.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.dice({ axis: [1, 2, 3] }) })` (or `loss: 'dice'`)
 */
export function dice(args: DiceArgs = {}): Loss {
  const where = 'km.losses.dice';
  checkOptions(args, optionNames<DiceArgs>({ axis: true }), where);
  const axis = overlapAxis(args.axis, where);
  if (axis === null) return getLoss('dice');
  return { ...overlapLoss('dice', DICE, axis), savedAs: { className: 'Dice', config: { axis } } };
}

/** Options of {@link tversky}. */
export interface TverskyArgs extends DiceArgs {
  /** Weight of Keras' false-positive term Σ(1 − p)·t (default 0.5). */
  alpha?: number;
  /** Weight of Keras' false-negative term Σp·(1 − t) (default 0.5). */
  beta?: number;
}

/**
 * Tversky loss, 1 − TP / (TP + α·FP + β·FN + 1e-7) (Keras 3's Tversky, whose FP is Σ(1 − p)·t and FN
 * is Σp·(1 − t)); α = β = 0.5 is Dice. Over the whole batch by default, or over `axis` as {@link dice}.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.tversky({ alpha: 0.3, beta: 0.7 }) })`
 */
export function tversky(args: TverskyArgs = {}): Loss {
  const where = 'km.losses.tversky';
  checkOptions(args, optionNames<TverskyArgs>({ alpha: true, beta: true, axis: true }), where);
  const alpha = checkNumberOption(args.alpha ?? 0.5, 'alpha', where, nonNegative, 'a finite number ≥ 0');
  const beta = checkNumberOption(args.beta ?? 0.5, 'beta', where, nonNegative, 'a finite number ≥ 0');
  const axis = overlapAxis(args.axis, where);
  return { ...overlapLoss('tversky', tverskyCoefficients(alpha, beta), axis), savedAs: { className: 'Tversky', config: { alpha, beta, ...(axis === null ? {} : { axis }) } } };
}

/**
 * Keras 3's CTC loss (`keras.losses.CTC`), for sequence outputs read without an alignment (OCR,
 * speech). The model's output is logits [steps, classes] per sample (no softmax: the loss takes a
 * log-softmax over the classes); the targets are integer labels [batch, maxLength], class 0 being the
 * blank, which pads each row after its labels. The loss is −log p(labels) averaged over the batch;
 * labels that need more steps than the output has are refused before training. Same as `loss: 'ctc'`.
 * Decode the outputs with `km.utils.ctcDecode`.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.ctc() })`
 */
export function ctc(args: Record<string, never> = {}): Loss {
  checkNotTensor(args, 'km.losses.ctc');
  const given = Object.keys(args ?? {});
  if (given.length > 0) throw new Error(`km.losses.ctc takes no options (Keras 3's CTC: blank 0, every output step used). Received: ${given.join(', ')}.`);
  return { ...getLoss('ctc'), savedAs: { className: 'CTC', config: {} } };
}

export type { Loss, LossName } from './losses.js';
export type { OverlapAxis } from './overlap.js';

export * from './named_losses.js';

// TensorFlow.js' tf.losses names, for the losses kerasm computes the same way (losses_tfjs_names.test.ts
// checks each against tfjs). Called with tensors they compute tfjs' value now (tensor_functions.ts);
// called with options or nothing they make the loss for compile. cosineDistance (1 − Σt·p,
// unnormalised) and computeWeightedLoss have no compile loss: they only compute on tensors.
export { computeWeightedLoss, cosineDistance, Reduction } from './weighted_losses.js';

type Tensors = Tensor | TensorLike;

/**
 * `tf.losses.absoluteDifference(labels, predictions, weights?, reduction?)`: |labels − predictions|,
 * weighted and reduced as {@link computeWeightedLoss} (default SUM_BY_NONZERO_WEIGHTS), computed now.
 * Called with nothing: {@link meanAbsoluteError}, the loss for compile.
 * @example `loss: km.losses.absoluteDifference()`
 * @example `km.losses.absoluteDifference(km.tensor([1, 2]), km.tensor([2, 4])).dataSync() // [1.5]`
 */
export function absoluteDifference(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor;
export function absoluteDifference(args?: Record<string, never>): Loss;
export function absoluteDifference(...args: unknown[]): Loss | Tensor {
  if (isTensorCall(args)) return onTensors.absoluteDifferenceOf(...(args as Parameters<typeof onTensors.absoluteDifferenceOf>));
  checkOptions(args[0], [], 'km.losses.absoluteDifference');
  return named.meanAbsoluteError();
}

/**
 * `tf.losses.huberLoss(labels, predictions, weights?, delta = 1, reduction?)`, computed now. Called
 * with options or nothing: {@link huber}, whose `delta` tfjs passes positionally.
 * @example `km.losses.huberLoss({ delta: 0.5 })`
 * @example `km.losses.huberLoss(labels, predictions, undefined, 0.5, km.losses.Reduction.SUM)`
 */
export function huberLoss(labels: Tensors, predictions: Tensors, weights?: Tensors | null, delta?: number, reduction?: Reduction): Tensor<'float32'>;
export function huberLoss(args?: { delta?: number }): Loss;
export function huberLoss(...args: unknown[]): Loss | Tensor<'float32'> {
  if (isTensorCall(args)) return onTensors.huberLossOf(...(args as Parameters<typeof onTensors.huberLossOf>));
  return huber(args[0] as { delta?: number });
}

/**
 * `tf.losses.logLoss(labels, predictions, weights?, epsilon = 1e-7, reduction?)`, computed now: tfjs
 * adds ε inside the logarithms. Called with options or nothing: {@link binaryCrossentropy} of
 * probabilities, which clips them to [ε, 1 − ε] as Keras does; the two differ only for outputs
 * within ~1e-7 of 0 or 1.
 * @example `km.losses.logLoss()`
 */
export function logLoss(labels: Tensors, predictions: Tensors, weights?: Tensors | null, epsilon?: number, reduction?: Reduction): Tensor<'float32'>;
export function logLoss(args?: BinaryCrossentropyArgs): Loss;
export function logLoss(...args: unknown[]): Loss | Tensor<'float32'> {
  if (isTensorCall(args)) return onTensors.logLossOf(...(args as Parameters<typeof onTensors.logLossOf>));
  return binaryCrossentropy(args[0] as BinaryCrossentropyArgs);
}

/**
 * `tf.losses.hingeLoss(labels, predictions, weights?, reduction?)`, computed now (tfjs maps every
 * label t to 2t − 1). Called with nothing: {@link hinge}, the same for 0/1 labels.
 * @example `km.losses.hingeLoss()`
 */
export function hingeLoss(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor<'float32'>;
export function hingeLoss(args?: Record<string, never>): Loss;
export function hingeLoss(...args: unknown[]): Loss | Tensor<'float32'> {
  if (isTensorCall(args)) return onTensors.hingeLossOf(...(args as Parameters<typeof onTensors.hingeLossOf>));
  checkOptions(args[0], [], 'km.losses.hingeLoss');
  return named.hinge();
}

/** Options of {@link sigmoidCrossEntropy} and {@link softmaxCrossEntropy}, tfjs' `labelSmoothing`. */
export interface LogitsCrossentropyArgs {
  /** As the cross-entropies' `labelSmoothing` (default 0). */
  labelSmoothing?: number;
}

/**
 * `tf.losses.sigmoidCrossEntropy`: binary cross-entropy of logits, `binaryCrossentropy({ fromLogits: true })`.
 * Called with tensors, `(multiClassLabels, logits, weights?, labelSmoothing = 0, reduction?)`, it
 * computes tfjs' value now.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.sigmoidCrossEntropy({ labelSmoothing: 0.1 }) })`
 */
export function sigmoidCrossEntropy(multiClassLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing?: number, reduction?: Reduction): Tensor<'float32'>;
export function sigmoidCrossEntropy(args?: LogitsCrossentropyArgs): Loss;
export function sigmoidCrossEntropy(...args: unknown[]): Loss | Tensor<'float32'> {
  if (isTensorCall(args)) return onTensors.sigmoidCrossEntropyOf(...(args as Parameters<typeof onTensors.sigmoidCrossEntropyOf>));
  const options = (args[0] ?? {}) as LogitsCrossentropyArgs;
  checkOptions(options, optionNames<LogitsCrossentropyArgs>({ labelSmoothing: true }), 'km.losses.sigmoidCrossEntropy');
  return binaryCrossentropy({ fromLogits: true, ...options });
}

/**
 * `tf.losses.softmaxCrossEntropy`: categorical cross-entropy of logits against one-hot rows,
 * `categoricalCrossentropy({ fromLogits: true })`. Called with tensors, `(onehotLabels, logits,
 * weights?, labelSmoothing = 0, reduction?)`, it computes tfjs' value now: one loss per row, reduced.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.softmaxCrossEntropy() })`
 * @example `km.losses.softmaxCrossEntropy(km.tensor([[0, 1]]), km.tensor([[0, 0]])).dataSync() // [0.6931472]`
 */
export function softmaxCrossEntropy(onehotLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing?: number, reduction?: Reduction): Tensor<'float32'>;
export function softmaxCrossEntropy(args?: LogitsCrossentropyArgs): Loss;
export function softmaxCrossEntropy(...args: unknown[]): Loss | Tensor<'float32'> {
  if (isTensorCall(args)) return onTensors.softmaxCrossEntropyOf(...(args as Parameters<typeof onTensors.softmaxCrossEntropyOf>));
  const options = (args[0] ?? {}) as LogitsCrossentropyArgs;
  checkOptions(options, optionNames<LogitsCrossentropyArgs>({ labelSmoothing: true }), 'km.losses.softmaxCrossEntropy');
  return categoricalCrossentropy({ fromLogits: true, ...options });
}

markCompileFactories({
  ...named, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, categoricalHinge, cosineSimilarity, huber,
  binaryFocalCrossentropy, categoricalFocalCrossentropy, dice, tversky, ctc, sigmoidCrossEntropy, softmaxCrossEntropy,
  absoluteDifference, huberLoss, logLoss, hingeLoss,
});
