import { mapScalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import type { Tensor } from '../tensor.js';
import type { Loss } from './losses.js';
import { describeTargets } from './targets.js';

// Keras 3's ctc loss (keras/src/losses/losses.py `ctc`, ops.nn.ctc_loss): y_pred [batch, steps,
// classes] are logits (a log-softmax is taken over the classes); y_true [batch, maxLength] integer
// labels with 0 the blank (mask_index 0), so class 0 is never a label and 0 pads each row after its
// labels; the label length is the count of non-zero entries and the input length is every step.
// The loss of a sample is −log p(labels | logits), averaged over the batch (sum_over_batch_size).

/** Keras 3's blank class: mask_index 0. */
export const CTC_BLANK = 0;

/** Steps a label sequence needs: one per label, plus a blank between each pair of equal neighbours. */
export function stepsNeeded(labels: ArrayLike<number>): number {
  let needed = 0;
  for (let i = 0; i < labels.length && labels[i] !== CTC_BLANK; i++) needed += i > 0 && labels[i] === labels[i - 1] ? 2 : 1;
  return needed;
}

function validateCtcTargets(y: Tensor, outputShape: Shape): void {
  if (outputShape.length !== 2) {
    throw new Error(
      `Loss 'ctc' expects the model's output to be logits of shape (None, steps, classes), but it is (None, ${outputShape.join(', ')}). ` +
        `End the model with a Dense layer (no activation) over a sequence, e.g. after an LSTM with returnSequences: true or a Conv1D.`,
    );
  }
  const [steps, classes] = outputShape;
  if (classes < 2) throw new Error(`Loss 'ctc' needs at least 2 classes (class 0 is the blank), but the model's output has ${classes}. Give the last Dense layer one unit per label plus one for the blank.`);
  if (y.rank !== 2) {
    const hint = y.rank === 3 && y.shape[2] === classes ? ' These look like one-hot rows: pass the class indices instead.' : '';
    throw new Error(`Loss 'ctc' expects integer labels of shape [batch, maxLength] (0 pads each row after its labels), but received ${describeTargets(y)}.${hint}`);
  }
  const width = y.shape[1];
  const values = y.dataSync();
  for (let row = 0; row < y.shape[0]; row++) {
    const labels = values.subarray(row * width, (row + 1) * width);
    let end = -1;
    for (let j = 0; j < width; j++) {
      const label = labels[j];
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        throw new Error(`Label ${label} at [${row}, ${j}] is not a class of the model's ${classes} outputs: loss 'ctc' takes integer labels 1 to ${classes - 1}, with 0 (the blank) as padding. Check the labels, or give the last layer more units.`);
      }
      if (label === CTC_BLANK && end < 0) end = j;
      if (label !== CTC_BLANK && end >= 0) {
        throw new Error(`Labels of sample ${row} have the blank 0 at index ${end} before label ${label} at index ${j}: loss 'ctc' reads 0 as padding, which must come after all the labels. Shift the labels up by one so that no class is 0, and pad only at the end.`);
      }
    }
    const needed = stepsNeeded(labels);
    if (needed > steps) {
      throw new Error(
        `Labels of sample ${row} need ${needed} steps (${end < 0 ? width : end} labels, with a blank between repeated ones) but the model's output has ${steps}: no alignment exists and the loss would be infinite. ` +
          `Give the model more output steps (less downsampling), or shorten the labels.`,
      );
    }
  }
}

/** The labels of each sample padded (or cut, past the zeros) to one per output step, where the kernels read them. */
function toStepLabels(values: Float32Array | Int32Array, outputShape: Shape, samples: number): Int32Array {
  const steps = outputShape[0];
  const width = values.length / samples;
  const out = new Int32Array(samples * steps).fill(CTC_BLANK);
  for (let s = 0; s < samples; s++) out.set(values.subarray(s * width, s * width + Math.min(width, steps)), s * steps);
  return out;
}

/** Keras 3's CTC loss, as `compile({ loss: 'ctc' })` and `km.losses.ctc()` give it. */
export const CTC_LOSS: Loss = {
  name: 'ctc',
  sparseTargets: true,
  fusesSoftmax: false,
  validateTargets: validateCtcTargets,
  transformTargets: toStepLabels,
  compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
    const [steps, classes] = outputShape;
    const sum = backend.ctcLoss(output, targets, grad, batch, steps, classes, steps, CTC_BLANK, weights ? 1 : 1 / batch, weights);
    return weights ? mapScalar(sum, (s) => s * batch) : sum;
  },
};
