// A naive float64 einsum for EinsumDense's tests: loops over every assignment of the equation's
// letters, with Keras' bias broadcast and the activations the tests use.

/** `equation` with Keras' ellipsis written out as Greek letters, for inputs of `rank` axes (batch included). */
export function expandEllipsis(equation: string, rank: number): string {
  if (!equation.includes('...')) return equation;
  const [lhs, output] = equation.split('->');
  const [input, kernel] = lhs.split(',');
  const fresh = 'αβγδεζ'.slice(0, rank - input.replace('...', '').length);
  return `${input.replace('...', fresh)},${kernel}->${output.replace('...', fresh)}`;
}

const index = (letters: string, at: Map<string, number>, sizes: Map<string, number>) => [...letters].reduce((flat, c) => flat * sizes.get(c)! + at.get(c)!, 0);

/** out[output letters] = Σ over the other letters of x[input letters]·k[kernel letters]; `equation` without an ellipsis. */
export function naiveEinsum(equation: string, x: ArrayLike<number>, xShape: readonly number[], k: ArrayLike<number>, kShape: readonly number[]): { values: number[]; shape: number[] } {
  const [lhs, output] = equation.split('->');
  const [input, kernel] = lhs.split(',');
  const sizes = new Map<string, number>();
  [...input].forEach((c, i) => sizes.set(c, xShape[i]));
  [...kernel].forEach((c, i) => sizes.set(c, kShape[i]));
  const letters = [...sizes.keys()];
  const shape = [...output].map((c) => sizes.get(c)!);
  const values = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
  const total = letters.reduce((p, c) => p * sizes.get(c)!, 1);
  for (let flat = 0; flat < total; flat++) {
    const at = new Map<string, number>();
    let rest = flat;
    for (let i = letters.length - 1; i >= 0; i--) {
      const size = sizes.get(letters[i])!;
      at.set(letters[i], rest % size);
      rest = Math.floor(rest / size);
    }
    values[index(output, at, sizes)] += x[index(input, at, sizes)] * k[index(kernel, at, sizes)];
  }
  return { values, shape };
}

/** values + bias, the bias aligned with the output's last axes and repeated along its 1s (NumPy broadcasting, as Keras adds it). */
export function addBroadcastBias(values: readonly number[], shape: readonly number[], bias: ArrayLike<number>, biasShape: readonly number[]): number[] {
  const offset = shape.length - biasShape.length;
  return values.map((v, flat) => {
    let rest = flat;
    let b = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= offset; axis--) {
      const i = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
      const size = biasShape[axis - offset];
      b += (size === 1 ? 0 : i) * stride;
      stride *= size;
    }
    return v + bias[b];
  });
}

/** The activations EinsumDense's tests use, over rows of `last` values (softmax along the last axis). */
export function activate(name: string, values: readonly number[], last: number): number[] {
  if (name === 'linear') return [...values];
  if (name === 'relu') return values.map((v) => Math.max(0, v));
  if (name === 'tanh') return values.map(Math.tanh);
  if (name === 'swish') return values.map((v) => v / (1 + Math.exp(-v)));
  if (name === 'softmax') {
    const out: number[] = [];
    for (let start = 0; start < values.length; start += last) {
      const row = values.slice(start, start + last);
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      out.push(...e.map((v) => v / sum));
    }
    return out;
  }
  throw new Error(`einsum_reference: no reference for activation '${name}'`);
}

/** EinsumDense's output in float64: the einsum, Keras' bias (null: none), the activation. */
export function einsumDenseReference(
  equation: string, x: ArrayLike<number>, xShape: readonly number[], kernel: ArrayLike<number>, kernelShape: readonly number[],
  bias: ArrayLike<number> | null, biasShape: readonly number[] | null, activation: string,
): { values: number[]; shape: number[] } {
  const { values, shape } = naiveEinsum(expandEllipsis(equation, xShape.length), x, xShape, kernel, kernelShape);
  const biased = bias && biasShape ? addBroadcastBias(values, shape, bias, biasShape) : values;
  return { values: activate(activation, biased, shape[shape.length - 1]), shape };
}

/** An EinsumDense configuration with the shapes Keras 3 derives for it (worked out by hand from its `_analyze_split_string`). */
export interface EinsumCase {
  readonly equation: string;
  readonly outputShape: number | (number | null)[];
  readonly biasAxes: string | null;
  readonly activation: 'linear' | 'relu' | 'tanh' | 'swish' | 'softmax';
  /** The input's shape without the batch axis. */
  readonly input: number[];
  readonly kernel: number[];
  readonly bias: number[] | null;
  readonly output: number[];
}

/** Each of Keras' forms, and each role an axis can take: free, contracted, batched (all three operands), summed (input only), kernel-only. */
export const EINSUM_CASES: readonly EinsumCase[] = [
  { equation: 'ab,bc->ac', outputShape: 5, biasAxes: 'c', activation: 'relu', input: [4], kernel: [4, 5], bias: [5], output: [5] },
  { equation: 'abc,cd->abd', outputShape: [null, 6], biasAxes: 'd', activation: 'tanh', input: [3, 4], kernel: [4, 6], bias: [6], output: [3, 6] },
  { equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'linear', input: [3, 4], kernel: [4, 2, 3], bias: [2, 3], output: [3, 2, 3] },
  { equation: 'abcd,cde->abe', outputShape: [null, 5], biasAxes: 'e', activation: 'softmax', input: [3, 2, 4], kernel: [2, 4, 5], bias: [5], output: [3, 5] },
  { equation: '...b,bc->...c', outputShape: 4, biasAxes: 'c', activation: 'swish', input: [2, 3, 5], kernel: [5, 4], bias: [4], output: [2, 3, 4] },
  { equation: 'ab...,bc->ac...', outputShape: 4, biasAxes: 'c', activation: 'tanh', input: [5, 3], kernel: [5, 4], bias: [4, 1], output: [4, 3] },
  { equation: 'abc,bcd->abd', outputShape: [null, 4], biasAxes: 'bd', activation: 'linear', input: [3, 5], kernel: [3, 5, 4], bias: [3, 4], output: [3, 4] },
  { equation: 'abcd,cbe->aebc', outputShape: [3, null, null], biasAxes: 'eb', activation: 'swish', input: [2, 4, 5], kernel: [4, 2, 3], bias: [3, 2, 1], output: [3, 2, 4] },
  { equation: 'abc,dc->abd', outputShape: [null, 3], biasAxes: null, activation: 'linear', input: [2, 4], kernel: [3, 4], bias: null, output: [2, 3] },
  { equation: 'abc,bd->acd', outputShape: [null, 3], biasAxes: 'c', activation: 'softmax', input: [4, 2], kernel: [4, 3], bias: [2, 1], output: [2, 3] },
  { equation: '...ab,b->...a', outputShape: [null], biasAxes: 'a', activation: 'relu', input: [3, 4], kernel: [4], bias: [3], output: [3] },
];
