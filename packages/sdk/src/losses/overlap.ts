import type { OverlapCoefficients } from '../backend/backend.js';
import { mapScalar } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { rejectClassLabels, validateDense } from './targets.js';
import type { Shape } from '../layers/layer.js';

/** Dice: 1 − 2·Σt·p / (Σt + Σp + ε). */
export const DICE: OverlapCoefficients = { numerator: 2, truePositives: 0, targets: 1, predictions: 1 };

/** Tversky with Keras' α (false positives as Keras counts them: Σ(1 − p)·t) and β (Σp·(1 − t)). */
export function tverskyCoefficients(alpha: number, beta: number): OverlapCoefficients {
  return { numerator: 1, truePositives: 1 - alpha - beta, targets: alpha, predictions: beta };
}

/**
 * The axes an overlap is taken over, counting the batch as 0 (Keras' `axis`), or null for one
 * overlap over the whole batch (Keras' default axis=None).
 */
export type OverlapAxis = number | readonly number[] | null;

// The backend's transpose takes up to 5 axes, the batch included.
const MAX_RANK = 5;

/**
 * How a batch splits into overlaps: `groups` runs of `groupSize` consecutive values once the batch
 * is transposed by `perm` (the kept axes first, the overlap's axes last), or as it is when `perm` is
 * null. `dims` is the batch's shape.
 */
interface OverlapLayout {
  groups: number;
  groupSize: number;
  dims: number[];
  perm: number[] | null;
}

function overlapLayout(name: string, axis: OverlapAxis, batch: number, outputShape: Shape): OverlapLayout {
  const dims = [batch, ...outputShape];
  const size = dims.reduce((a, b) => a * b, 1);
  if (axis === null) return { groups: 1, groupSize: size, dims, perm: null };
  const rank = dims.length;
  const axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.some((a, i) => a < 0 || a >= rank || axes[i - 1] === a)) {
    throw new Error(
      `Loss '${name}' with axis=${JSON.stringify(axis)} on outputs of shape [null, ${outputShape.join(', ')}]: axis must name distinct axes 0..${rank - 1} (or −1..−${rank}), counting the batch as 0, ` +
        `e.g. axis: [${Array.from({ length: rank - 1 }, (_, i) => i + 1).join(', ')}] for one overlap per sample.`,
    );
  }
  const groupSize = axes.reduce((n, a) => n * dims[a], 1);
  const kept = dims.map((_, i) => i).filter((i) => !axes.includes(i));
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!trailing && rank > MAX_RANK) {
    throw new Error(`Loss '${name}' with axis=${JSON.stringify(axis)}: kerasm takes outputs of up to ${MAX_RANK - 1} axes besides the batch when the overlap's axes are not the last ones. Received outputs of shape [null, ${outputShape.join(', ')}].`);
  }
  return { groups: size / groupSize, groupSize, dims, perm: trailing ? null : [...kept, ...axes] };
}

/**
 * Dice or Tversky with Keras 3's reduction: one overlap over `axis` for each position of the other
 * axes, averaged. With axis null (Keras' default) that is one overlap over every value of the batch,
 * not a mean of per-sample overlaps, so a batch's loss is that single number.
 */
export function overlapLoss(name: 'dice' | 'tversky', coefficients: OverlapCoefficients, axis: OverlapAxis = null): Loss {
  return {
    name,
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      rejectClassLabels(name, y, outputShape, `${name === 'dice' ? 'Dice' : 'Tversky'} compares each predicted value with a target mask of the output's shape.`);
      validateDense(name, y, outputShape);
      overlapLayout(name, axis, 1, outputShape);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      if (weights) {
        throw new Error(
          axis === null
            ? `Loss '${name}' is one overlap over the whole batch (Keras' axis=None), so it has no per-sample or per-position terms for sample weights, class weights or a mask to weigh. ` +
                `Train without sampleWeight/classWeight and without a masking layer before the output, or use a per-sample loss such as 'binaryFocalCrossentropy'.`
            : `Loss '${name}' with axis=${JSON.stringify(axis)} does not take sample weights, class weights or a mask in kerasm yet. ` +
                `Train without sampleWeight/classWeight and without a masking layer before the output, or use a per-sample loss such as 'binaryFocalCrossentropy'.`,
        );
      }
      const { groups, groupSize, dims, perm } = overlapLayout(name, axis, batch, outputShape);
      // The mean over the groups is the batch's loss; the caller divides the returned sum by batch.
      const perBatch = (loss: number) => (loss * batch) / groups;
      if (!perm) return mapScalar(backend.overlapLoss(output, targets, grad, groups, groupSize, 1 / groups, coefficients), perBatch);
      // Each overlap's values made consecutive: the output and targets transposed, the gradient back.
      const n = groups * groupSize;
      const [p, t, g] = [0, 1, 2].map(() => backend.alloc(n, 'float32'));
      backend.transpose(output, p, dims, perm);
      backend.transpose(targets, t, dims, perm);
      const loss = backend.overlapLoss(p, t, grad ? g : 0, groups, groupSize, 1 / groups, coefficients);
      if (grad) backend.transpose(g, grad, perm.map((a) => dims[a]), perm.map((_, i) => perm.indexOf(i)));
      [p, t, g].forEach((id) => backend.free(id));
      return mapScalar(loss, perBatch);
    },
  };
}
