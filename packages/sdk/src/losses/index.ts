import { elementwiseLoss, huberLoss } from './elementwise.js';
import { CROSS_ENTROPIES, type Loss } from './losses.js';
import { ROWWISE_LOSSES } from './rowwise.js';
import { checkOptions, optionNames } from '../utils/options.js';

/** Options of the cross-entropy losses. */
export interface CrossentropyArgs {
  /** The model outputs logits (no softmax/sigmoid); the loss applies it, stably (default false). */
  fromLogits?: boolean;
}

/** Options of {@link binaryCrossentropy}. */
export interface BinaryCrossentropyArgs extends CrossentropyArgs {
  /** Targets t become t·(1 − s) + s/2 (default 0); supported with `fromLogits`. */
  labelSmoothing?: number;
}

/**
 * Binary cross-entropy with Keras' options.
 * @example `model.compile({ optimizer: 'adam', loss: km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }) })`
 */
export function binaryCrossentropy(args: BinaryCrossentropyArgs = {}): Loss {
  checkOptions(args, optionNames<BinaryCrossentropyArgs>({ fromLogits: true, labelSmoothing: true }), 'km.losses.binaryCrossentropy');
  const smoothing = args.labelSmoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) {
    throw new Error(`binaryCrossentropy: labelSmoothing must be in [0, 1]. Received: labelSmoothing=${smoothing}.`);
  }
  if (!args.fromLogits) {
    if (smoothing > 0) {
      throw new Error(`binaryCrossentropy: labelSmoothing=${smoothing} needs fromLogits: true in kerasm. Give the last layer a linear activation and pass { fromLogits: true, labelSmoothing: ${smoothing} }.`);
    }
    return CROSS_ENTROPIES.binaryCrossentropy;
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
export function categoricalHinge(): Loss {
  return ROWWISE_LOSSES.categoricalHinge;
}

/** Negative cosine similarity between each output row and its target row (Keras' sign). @example `km.losses.cosineSimilarity()` */
export function cosineSimilarity(): Loss {
  return ROWWISE_LOSSES.cosineSimilarity;
}

/** Huber loss: quadratic within `delta` of the target, linear beyond. @example `km.losses.huber({ delta: 0.5 })` */
export function huber(args: { delta?: number } = {}): Loss {
  checkOptions(args, ['delta'], 'km.losses.huber');
  const delta = args.delta ?? 1;
  return { ...huberLoss(delta), savedAs: { className: 'Huber', config: { delta } } };
}

export type { Loss, LossName } from './losses.js';
