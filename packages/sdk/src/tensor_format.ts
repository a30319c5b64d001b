import type { DType } from './tensor.js';
import { rowMajorStrides } from './tensor_slice.js';

/** Axes longer than this show their first and last EDGE entries around an ellipsis, as NumPy and TensorFlow.js do. */
const LIMIT = 20;
const EDGE = 3;
const INDENT = '    ';

/**
 * A tensor's values as TensorFlow.js' `tensor.toString()` lays them out: nested brackets, one row
 * per line, long axes elided. Numbers are right-aligned to a common width, so that digits line up
 * (TensorFlow.js left-aligns them). `verbose` adds the dtype, rank and shape.
 */
export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType, verbose: boolean): string {
  const strides = rowMajorStrides(shape);
  const shown = (axis: number): number[] => {
    const n = shape[axis];
    const all = Array.from({ length: n }, (_, i) => i);
    return n > LIMIT ? [...all.slice(0, EDGE), -1, ...all.slice(n - EDGE)] : all;
  };
  const texts = new Map<number, string>();
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) texts.set(offset, formatNumber(values[offset], dtype));
    else for (const i of shown(axis)) if (i >= 0) collect(axis + 1, offset + i * strides[axis]);
  };
  collect(0, 0);
  const width = Math.max(0, ...[...texts.values()].map((t) => t.length));
  const cell = (offset: number) => texts.get(offset)!.padStart(width);

  // Each sub-array's lines; the caller indents all but the first by one bracket.
  const lines = (axis: number, offset: number): string[] => {
    if (axis === shape.length - 1) {
      return [`[${shown(axis).map((i) => (i < 0 ? '...' : cell(offset + i * strides[axis]))).join(', ')}]`];
    }
    const blocks = shown(axis).map((i) => (i < 0 ? ['...'] : lines(axis + 1, offset + i * strides[axis])));
    const gap = shape.length - axis - 2; // blank lines between blocks, as NumPy separates matrices
    const out: string[] = [];
    blocks.forEach((block, b) => {
      const last = b === blocks.length - 1;
      block.forEach((line, j) => {
        if (line === '') out.push(line);
        else out.push(`${b === 0 && j === 0 ? '[' : ' '}${line}${j < block.length - 1 ? '' : last ? ']' : ','}`);
      });
      if (!last) for (let k = 0; k < gap; k++) out.push('');
    });
    return out;
  };

  const body = shape.length === 0 ? [cell(0)] : lines(0, 0);
  const valueLines = body.map((line) => (line === '' ? '' : INDENT + line));
  const header = verbose ? ['Tensor', `  dtype: ${dtype}`, `  rank: ${shape.length}`, `  shape: [${shape.join(',')}]`, '  values:'] : ['Tensor'];
  return [...header, ...valueLines].join('\n');
}

/** Floats rounded to 7 decimals, as TensorFlow.js shows them (float32 holds about 7 significant digits). */
function formatNumber(value: number, dtype: DType): string {
  return dtype === 'int32' || !Number.isFinite(value) ? String(value) : String(parseFloat(value.toFixed(7)));
}
