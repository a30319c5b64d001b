import type { Shape } from '../layers/layer.js';
import type { Tensor } from '../tensor.js';

// Target checks shared by every loss.

export function units(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function describeTargets(y: Tensor): string {
  return `targets of shape [${y.shape.join(', ')}] (${y.dtype})`;
}

/** Targets shaped like the output: [n, ...outputShape]. */
export function validateDense(name: string, y: Tensor, outputShape: Shape): void {
  const expected = [y.shape[0], ...outputShape];
  const same = y.shape.length === expected.length && y.shape.every((d, i) => d === expected[i]);
  if (!same) {
    const labels = y.rank === 1 || (y.rank === 2 && y.shape[1] === 1);
    const hint =
      name === 'categoricalCrossentropy' && labels
        ? ` These look like integer class labels: use loss 'sparseCategoricalCrossentropy', or one-hot encode them with km.utils.toCategorical(y, ${outputShape[outputShape.length - 1]}).`
        : ` Give targets with one row per sample shaped like the model's output.`;
    throw new Error(`Loss '${name}' expects targets of shape [${expected.join(', ')}] but received ${describeTargets(y)}.${hint}`);
  }
}

