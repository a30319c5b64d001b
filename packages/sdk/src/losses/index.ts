import { elementwiseLoss, huberLoss } from './elementwise.js';
import { CROSS_ENTROPIES, type Loss } from './losses.js';

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
  return elementwiseLoss('binaryCrossentropy', 'binaryCrossentropyFromLogits', { param: smoothing, validate: CROSS_ENTROPIES.binaryCrossentropy.validateTargets });
}

/** Softmax cross-entropy applied to logits (for both target forms) instead of probabilities. */
function fromLogits(base: Loss): Loss {
  return { ...base, compute: (backend, output, targets, grad, batch, outputShape) => base.compute(backend, output, targets, grad, batch, outputShape, true) };
}

/** Categorical cross-entropy (one-hot targets). @example `km.losses.categoricalCrossentropy({ fromLogits: true })` */
export function categoricalCrossentropy(args: CrossentropyArgs = {}): Loss {
  return args.fromLogits ? fromLogits(CROSS_ENTROPIES.categoricalCrossentropy) : CROSS_ENTROPIES.categoricalCrossentropy;
}

/** Sparse categorical cross-entropy (integer labels). @example `km.losses.sparseCategoricalCrossentropy({ fromLogits: true })` */
export function sparseCategoricalCrossentropy(args: CrossentropyArgs = {}): Loss {
  return args.fromLogits ? fromLogits(CROSS_ENTROPIES.sparseCategoricalCrossentropy) : CROSS_ENTROPIES.sparseCategoricalCrossentropy;
}

/** Huber loss: quadratic within `delta` of the target, linear beyond. @example `km.losses.huber({ delta: 0.5 })` */
export function huber(args: { delta?: number } = {}): Loss {
  return huberLoss(args.delta ?? 1);
}

export type { Loss, LossName } from './losses.js';
