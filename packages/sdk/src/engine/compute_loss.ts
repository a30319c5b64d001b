// Keras 3's `model.compute_loss(y, y_pred)` for a km.Model's own trainStep: the compiled loss of a
// batch's predictions, computed by the loss' own backend kernels (the value and dLoss/dOutput
// fit's step uses) and recorded on the tape, so km.variableGrads differentiates through it.
import { backend as activeBackend } from '../backend/registry.js';
import type { Shape } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';
import { describeValue, hostValues } from '../ops/operand.js';
import { record, taping } from '../ops/tape.js';
import { sameShape, Tensor } from '../tensor.js';
import { lossTargets } from './prepare_data.js';

/**
 * The mean over the batch of `loss` between targets `y` and predictions `yPred` (`[batch,
 * ...outputShape]`), as fit's step computes it, with its gradient with respect to `yPred`.
 * `where` names the call in errors.
 */
export function compiledLossOf(where: string, loss: Loss, outputShape: Shape, y: unknown, yPred: unknown): Tensor<'float32'> {
  if (!(yPred instanceof Tensor) || yPred.dtype !== 'float32' || !sameShape(yPred.shape.slice(1), outputShape)) {
    const received = yPred instanceof Tensor ? `a ${yPred.dtype} tensor of shape [${yPred.shape.join(', ')}]` : describeValue(yPred);
    throw new Error(`${where}: yPred must be the model's output for the batch, a float32 tensor of shape [batch, ${outputShape.join(', ')}] (this.apply(x, { training: true })). Received: ${received}.`);
  }
  if (!(y instanceof Tensor)) throw new Error(`${where}: y must be the batch's targets, a km.Tensor (trainStep's data[1]). Received: ${describeValue(y)}.`);
  const batch = yPred.shape[0];
  if (y.shape[0] !== batch) throw new Error(`${where}: y has ${y.shape[0]} samples but yPred has ${batch}; pass the targets of the same batch.`);
  loss.validateTargets(y, outputShape);
  const predictions = hostValues(where, yPred);
  const targets = lossTargets(loss, y, outputShape, batch);
  const b = activeBackend();
  const size = yPred.size;
  const ids = [b.alloc(size, 'float32'), b.alloc(targets.length, targets instanceof Int32Array ? 'int32' : 'float32'), b.alloc(size, 'float32')];
  try {
    const [output, target, grad] = ids;
    b.write(output, predictions);
    b.write(target, targets);
    const sum = loss.compute(b, output, target, grad, batch, outputShape, false);
    if (typeof sum !== 'number') throw new Error(`${where} reads the loss back synchronously, which backend '${b.name}' cannot. Train this model on another backend (km.setBackend('tfjs-webgl') on a GPU).`);
    const value = new Tensor(Float32Array.of(sum / batch), [], 'float32');
    if (taping()) {
      const gradient = (b.read(grad, size, 'float32') as Float32Array).slice();
      record(value, [yPred], (dy) => [gradient.map((g) => g * dy[0])]);
    }
    return value;
  } finally {
    for (const id of ids) b.free(id);
  }
}
