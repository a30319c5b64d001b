// tfjs' einsum: products of one or two tensors summed over named axes, written as an equation
// ('ij,jk->ik'). It is composed of km ops (sum, transpose, reshape, matMul), so it differentiates
// through them; tfjs has no einsum gradient.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { mul } from './arithmetic.js';
import { matMul } from './mat_mul.js';
import { operand } from './operand.js';
import { sum } from './reduce.js';
import { cast, expandDims } from './shape_ops.js';
import { transpose } from './transpose.js';

/** A tensor and the label of each of its axes. */
interface Labeled {
  t: Tensor;
  labels: string[];
}

/**
 * The sum of products that `equation` describes, as `tf.einsum(equation, ...tensors)`: each
 * operand's axes are named by letters before the arrow (operands separated by commas), the
 * result's after it; a letter on two operands multiplies along that axis, and a letter missing
 * from the result is summed over. `'ij,jk->ik'` is a matrix product, `'bij,bjk->bik'` a batched
 * one, `'ij->ji'` a transpose, `'i,i->'` a dot product, `'i,j->ij'` an outer product.
 * Like tfjs: one or two operands, an explicit '->', each letter once per operand and once in the
 * result, no '...'; these are refused with errors saying what to write instead. The result is int32
 * when all operands are, else float32. Contractions of float32 operands run on km.matMul (sums in
 * double, rounded once), so values may differ from tfjs' (float32 products summed axis by axis)
 * in the last bits; tfjs 4.22 also leaves out an operand that has none of the summed letters
 * (`'ij,i->i'` gives the row sums), which kerasm multiplies in. Differentiable (tfjs' is not).
 * @example `km.einsum('bqd,bkd->bqk', queries, keys)` (attention scores)
 */
export function einsum(equation: string, ...tensors: (Tensor | TensorLike)[]): Tensor {
  const fn = 'km.einsum()';
  const operands = tensors.map((t, i) => operand(fn, `tensors[${i}]`, t));
  const { inputs, output } = parseEquation(fn, equation, operands.length);
  const sizes = new Map<string, number>();
  operands.forEach((t, i) => {
    if (t.rank !== inputs[i].length) throw new Error(`${fn}: operand ${i} is named '${inputs[i].join('')}' (${inputs[i].length} axes) in '${equation}', but tensors[${i}] has rank ${t.rank}. Received: tensors[${i}].shape=[${t.shape.join(', ')}].`);
    inputs[i].forEach((label, axis) => {
      const size = sizes.get(label);
      if (size !== undefined && size !== t.shape[axis]) throw new Error(`${fn}: letter '${label}' names axes of different sizes, ${size} and ${t.shape[axis]} (axis ${axis} of tensors[${i}]), in '${equation}'. Received: shapes ${operands.map((o) => `[${o.shape.join(', ')}]`).join(', ')}.`);
      sizes.set(label, t.shape[axis]);
    });
  });
  const dtype: DType = operands.every((t) => t.dtype === 'int32') ? 'int32' : 'float32';
  const labeled = operands.map((t, i): Labeled => ({ t: t.dtype === dtype ? t : cast(t, dtype), labels: inputs[i] }));
  // Letters on one operand only and not in the result are summed over first.
  const reduced = labeled.map((x, i) => sumOut(x, new Set([...output, ...(inputs[1 - i] ?? [])])));
  const result = reduced.length === 1 ? reduced[0] : contract(reduced[0], reduced[1], output, sizes);
  return arrange(result, output);
}

/** The operands' letters and the result's, after tfjs' checks (and a clear error for what it does not take). */
function parseEquation(fn: string, equation: string, count: number): { inputs: string[][]; output: string[] } {
  const text = typeof equation === 'string' ? equation.replace(/\s/g, '') : '';
  const parts = text.split('->');
  if (parts.length !== 2) throw new Error(`${fn}: the equation needs exactly one '->' followed by the result's letters, as in tfjs ('ij,jk->ik'; implicit results are not taken). Received: equation=${JSON.stringify(equation)}.`);
  if (text.includes('.')) throw new Error(`${fn}: '...' (broadcast axes) is not supported, as in tfjs. Name every axis with a letter ('bij,bjk->bik'). Received: equation=${JSON.stringify(equation)}.`);
  const inputs = parts[0].split(',').map((term) => [...term]);
  const output = [...parts[1]];
  if (inputs.length > 2) throw new Error(`${fn} takes one or two operands, as tfjs does. Contract them in steps: km.einsum('ij,jk->ik', km.einsum('ab,bj->aj', a, b), c). Received: equation=${JSON.stringify(equation)} with ${inputs.length} operands.`);
  if (inputs.length !== count) throw new Error(`${fn}: the equation ${JSON.stringify(equation)} names ${inputs.length} operand(s), but ${count} tensor(s) were passed. Pass one tensor per comma-separated term.`);
  for (const letter of [...inputs.flat(), ...output]) {
    if (!/^[a-zA-Z]$/.test(letter)) throw new Error(`${fn}: axes are named by letters a-z and A-Z, but the equation holds '${letter}'. Received: equation=${JSON.stringify(equation)}.`);
  }
  for (const term of [...inputs, output]) {
    const repeated = term.find((l, i) => term.indexOf(l) !== i);
    if (repeated !== undefined) throw new Error(`${fn}: letter '${repeated}' appears twice in the term '${term.join('')}' of ${JSON.stringify(equation)}; each letter may appear once per term, as in tfjs (for a diagonal or trace, multiply by km.eye(n) first: 'ii->' is km.sum(km.mul(x, km.eye(n)))).`);
  }
  const missing = output.find((l) => !inputs.some((term) => term.includes(l)));
  if (missing !== undefined) throw new Error(`${fn}: the result's letter '${missing}' names no operand's axis in ${JSON.stringify(equation)}; each result letter must appear before '->'.`);
  return { inputs, output };
}

/** `x` summed over its axes whose letters are not in `keep`. */
function sumOut(x: Labeled, keep: Set<string>): Labeled {
  const axes = x.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return x;
  return { t: sum(x.t, axes), labels: x.labels.filter((l) => keep.has(l)) };
}

/** `x` transposed so that its axes follow `order` (a permutation of its letters). */
function arrange(x: Labeled, order: readonly string[]): Tensor {
  const perm = order.map((l) => x.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? x.t : transpose(x.t, perm);
}

/**
 * `Σ a·b` over the letters both carry and the result lacks, as one batched matrix product: a is
 * laid out [batch, a's own, summed] and b [batch, summed, b's own], each group flattened to one axis.
 */
function contract(a: Labeled, b: Labeled, output: readonly string[], sizes: Map<string, number>): Labeled {
  const batch = output.filter((l) => a.labels.includes(l) && b.labels.includes(l));
  const summed = a.labels.filter((l) => b.labels.includes(l) && !output.includes(l));
  const ownA = a.labels.filter((l) => !b.labels.includes(l));
  const ownB = b.labels.filter((l) => !a.labels.includes(l));
  const dims = (labels: readonly string[]): number[] => labels.map((l) => sizes.get(l) ?? 0);
  const size = (labels: readonly string[]): number => dims(labels).reduce((p, d) => p * d, 1);
  const a3 = arrange(a, [...batch, ...ownA, ...summed]).reshape([size(batch), size(ownA), size(summed)]);
  const b3 = arrange(b, [...batch, ...summed, ...ownB]).reshape([size(batch), size(summed), size(ownB)]);
  // km.matMul takes float32 only; int32 products are summed exactly, as tfjs' int32 einsum.
  const c3 = a3.dtype === 'float32' ? matMul(a3, b3) : sum(mul(expandDims(a3, 3), expandDims(b3, 1)), 2);
  const labels = [...batch, ...ownA, ...ownB];
  return { t: c3.reshape(dims(labels)), labels };
}
