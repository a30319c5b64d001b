// tfjs' basicLSTMCell and multiRNNCell: one step of an LSTM, and of a stack of them, written with
// km ops so that gradients come from the tape.
import type { Tensor, TensorLike } from '../tensor.js';
import { add, mul } from './arithmetic.js';
import { sigmoid, tanh } from './elementwise.js';
import { concat } from './join.js';
import { matMul } from './mat_mul.js';
import { describeValue, operand } from './operand.js';
import { slice } from './shape_ops.js';

/** One LSTM step as {@link multiRNNCell} takes it: (data, c, h) to [newC, newH]. */
export type LSTMCellFunction = (data: Tensor, c: Tensor, h: Tensor) => [Tensor, Tensor];

/**
 * One step of a basic LSTM cell, as `tf.basicLSTMCell(forgetBias, lstmKernel, lstmBias, data, c, h)`:
 * with units u, data [batch, inputSize], c and h [batch, u], lstmKernel [inputSize + u, 4u] and
 * lstmBias [4u], the gates i, j, f, o are the four column blocks of concat([data, h], 1)·lstmKernel
 * + lstmBias, and newC = σ(i)·tanh(j) + c·σ(f + forgetBias) (forgetBias a scalar), newH =
 * tanh(newC)·σ(o). Returns [newC, newH]. Shapes that do not fit are an error (tfjs computes
 * whatever its ops allow). The gradients are those of the ops it is made of.
 * @example `const [c1, h1] = km.basicLSTMCell(1, kernel, bias, x, c0, h0)`
 */
export function basicLSTMCell(forgetBias: Tensor | TensorLike, lstmKernel: Tensor | TensorLike, lstmBias: Tensor | TensorLike, data: Tensor | TensorLike, c: Tensor | TensorLike, h: Tensor | TensorLike): [Tensor<'float32'>, Tensor<'float32'>] {
  const fn = 'km.basicLSTMCell()';
  const [fb, kernel, bias, x, c0, h0] = (['forgetBias', 'lstmKernel', 'lstmBias', 'data', 'c', 'h'] as const).map((name, i) => operand(fn, name, [forgetBias, lstmKernel, lstmBias, data, c, h][i]));
  const units = h0.shape[1];
  const fits = fb.size === 1 && x.rank === 2 && h0.rank === 2 && c0.rank === 2 && h0.shape[0] === x.shape[0] && c0.shape.join() === h0.shape.join() &&
    kernel.rank === 2 && kernel.shape[0] === x.shape[1] + units && kernel.shape[1] === 4 * units && bias.rank === 1 && bias.shape[0] === 4 * units;
  if (!fits) {
    const shapes = ([['forgetBias', fb], ['lstmKernel', kernel], ['lstmBias', bias], ['data', x], ['c', c0], ['h', h0]] as const).map(([name, t]) => `${name}.shape=[${t.shape.join(', ')}]`);
    throw new Error(`${fn}: the shapes do not fit an LSTM of u units: data [batch, inputSize], c and h [batch, u], lstmKernel [inputSize + u, 4u], lstmBias [4u] and forgetBias a scalar. Received: ${shapes.join(', ')}.`);
  }
  const gates = add(matMul(concat([x, h0], 1), kernel), bias);
  const gate = (k: number): Tensor => slice(gates, [0, k * units], [x.shape[0], units]);
  const newC = add(mul(sigmoid(gate(0)), tanh(gate(1))), mul(c0, sigmoid(add(fb, gate(2))))) as Tensor<'float32'>;
  const newH = mul(tanh(newC), sigmoid(gate(3))) as Tensor<'float32'>;
  return [newC, newH];
}

/**
 * One step of a stack of LSTM cells, as `tf.multiRNNCell(lstmCells, data, c, h)`: cell k takes the
 * previous cell's newH (the first takes `data`) with c[k] and h[k]. Returns [newCs, newHs], one per
 * cell. c and h must hold one tensor per cell.
 * @example
 * ```ts
 * const cell1 = (x: km.Tensor, c: km.Tensor, h: km.Tensor) => km.basicLSTMCell(1, kernel1, bias1, x, c, h);
 * const [cs, hs] = km.multiRNNCell([cell1, cell2], x, [c1, c2], [h1, h2]);
 * ```
 */
export function multiRNNCell(lstmCells: readonly LSTMCellFunction[], data: Tensor | TensorLike, c: readonly (Tensor | TensorLike)[], h: readonly (Tensor | TensorLike)[]): [Tensor[], Tensor[]] {
  const fn = 'km.multiRNNCell()';
  if (!Array.isArray(lstmCells) || lstmCells.some((f) => typeof f !== 'function')) {
    throw new Error(`${fn}: lstmCells must be an array of functions (data, c, h) => [newC, newH], e.g. wrapping km.basicLSTMCell. Received: lstmCells=${describeValue(lstmCells)}.`);
  }
  if (!Array.isArray(c) || !Array.isArray(h) || c.length !== lstmCells.length || h.length !== lstmCells.length) {
    throw new Error(`${fn}: c and h must be arrays of one state per cell (${lstmCells.length} cells). Received: c has ${Array.isArray(c) ? c.length : describeValue(c)}, h has ${Array.isArray(h) ? h.length : describeValue(h)}.`);
  }
  let input = operand(fn, 'data', data);
  const [newCs, newHs]: [Tensor[], Tensor[]] = [[], []];
  lstmCells.forEach((cell, k) => {
    const [newC, newH] = cell(input, operand(fn, `c[${k}]`, c[k]), operand(fn, `h[${k}]`, h[k]));
    newCs.push(newC);
    newHs.push(newH);
    input = newH;
  });
  return [newCs, newHs];
}
