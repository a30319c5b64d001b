import type { OverlapCoefficients } from '../backend/backend.js';
import { mapScalar } from '../backend/backend.js';
import type { Loss } from './losses.js';
import { lastAxis, rejectClassLabels, validateDense } from './targets.js';
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

/** The overlap's axes, counting the batch as 0, sorted and checked against the output's rank. */
function overlapAxes(name: string, axis: number | readonly number[], outputShape: Shape): number[] {
  const rank = outputShape.length + 1;
  const axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.some((a, i) => a < 0 || a >= rank || axes[i - 1] === a)) {
    throw new Error(
      `Loss '${name}' with axis=${JSON.stringify(axis)} on outputs of shape [null, ${outputShape.join(', ')}]: axis must name distinct axes 0..${rank - 1} (or −1..−${rank}), counting the batch as 0, ` +
        `e.g. axis: [${Array.from({ length: rank - 1 }, (_, i) => i + 1).join(', ')}] for one overlap per sample.`,
    );
  }
  return axes;
}

function overlapLayout(name: string, axis: OverlapAxis, batch: number, outputShape: Shape): OverlapLayout {
  const dims = [batch, ...outputShape];
  const size = dims.reduce((a, b) => a * b, 1);
  if (axis === null) return { groups: 1, groupSize: size, dims, perm: null };
  const axes = overlapAxes(name, axis, outputShape);
  const rank = dims.length;
  const groupSize = axes.reduce((n, a) => n * dims[a], 1);
  const kept = dims.map((_, i) => i).filter((i) => !axes.includes(i));
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!trailing && rank > MAX_RANK) {
    throw new Error(`Loss '${name}' with axis=${JSON.stringify(axis)}: kerasm takes outputs of up to ${MAX_RANK - 1} axes besides the batch when the overlap's axes are not the last ones. Received outputs of shape [null, ${outputShape.join(', ')}].`);
  }
  return { groups: size / groupSize, groupSize, dims, perm: trailing ? null : [...kept, ...axes] };
}

/**
 * Throws when each overlap over `axis` takes in several positions (values of the axes other than
 * the last) or several samples, so that one weight per position has no single weight for it: Keras 3
 * multiplies the overlaps by such weights and fails to broadcast them. Over the whole batch (axis
 * null) Keras multiplies the one overlap by their mean, which the weighted kernel gives too.
 */
function checkPositionWeights(name: string, axis: OverlapAxis, outputShape: Shape, source: 'mask' | 'sampleWeight'): void {
  if (axis === null) return;
  const axes = overlapAxes(name, axis, outputShape);
  const last = outputShape.length;
  if (!axes.some((a) => a !== last && (a === 0 || outputShape[a - 1] > 1))) return;
  const positions = `[${source === 'mask' ? 'batch' : 'n'}, ${outputShape.slice(0, -1).join(', ')}]`;
  const [received, fix] = source === 'mask'
    ? [`the output carries a mask, one value per position ${positions}`, 'drop the mask (no Masking layer or maskZero before the output)']
    : [`sampleWeight gives one weight per position ${positions}`, 'pass one weight per sample, shape [n]'];
  throw new Error(
    `Loss '${name}' with axis=${JSON.stringify(axis)} takes each overlap over several ${axes[0] === 0 ? 'samples' : 'positions'} of outputs of shape [null, ${outputShape.join(', ')}], but ${received}, so no one weight belongs to an overlap (Keras 3 cannot broadcast the two either). ` +
      `Take one overlap per position (axis: -1), or ${fix}.`,
  );
}

/**
 * Dice or Tversky with Keras 3's reduction: one overlap over `axis` for each position of the other
 * axes, averaged. With axis null (Keras' default) that is one overlap over every value of the batch,
 * not a mean of per-sample overlaps, so a batch's loss is that single number.
 *
 * Weighted (sample weights, class weights, a mask; see `Loss.compute`), each overlap weighs the sum
 * of its values' weights, a value taking a 1/classes share of its position's weight: per sample
 * that is the sample's weight, which Keras 3 multiplies into the per-sample (and per-class)
 * overlaps before their mean; over the whole batch it is the weights' mean, as Keras 3 broadcasts
 * its scalar loss by the weights.
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
    checkPositionWeights(outputShape, source) {
      checkPositionWeights(name, axis, outputShape, source);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
      const { groups, groupSize, dims, perm } = overlapLayout(name, axis, batch, outputShape);
      const classes = lastAxis(outputShape);
      // Unweighted, the batch's loss is the mean over the groups; weighted, Σ over the groups of each
      // one's weight (the kernel's sum of its values' position weights, over `classes`) times its loss.
      const gradScale = weights ? 1 / classes : 1 / groups;
      // The caller divides the returned sum by batch.
      const perBatch = (loss: number) => loss * gradScale * batch;
      if (!perm) return mapScalar(backend.overlapLoss(output, targets, grad, groups, groupSize, gradScale, coefficients, weights, classes), perBatch);
      // Each overlap's values made consecutive: the output, targets and weights transposed, the gradient back.
      const n = groups * groupSize;
      const scratch = Array.from({ length: weights ? 5 : 3 }, () => backend.alloc(n, 'float32'));
      const [p, t, g, valueWeights, w] = scratch;
      backend.transpose(output, p, dims, perm);
      backend.transpose(targets, t, dims, perm);
      if (weights) {
        // One weight per value (lossWeights unnormalised, without a mask, repeats each position's weight).
        backend.lossWeights(0, weights, classes, valueWeights, n, false);
        backend.transpose(valueWeights, w, dims, perm);
      }
      const loss = backend.overlapLoss(p, t, grad ? g : 0, groups, groupSize, gradScale, coefficients, weights ? w : undefined, 1);
      if (grad) backend.transpose(g, grad, perm.map((a) => dims[a]), perm.map((_, i) => perm.indexOf(i)));
      scratch.forEach((id) => backend.free(id));
      return mapScalar(loss, perBatch);
    },
  };
}
