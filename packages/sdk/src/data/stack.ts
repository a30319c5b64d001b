import { sameShape, Tensor } from '../tensor.js';

type Leaf = number | ArrayLike<number> | Tensor;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** Shape of one leaf element: [] for a number, the nested array's or tensor's shape otherwise. */
function shapeOf(value: Leaf, where: string): number[] {
  if (typeof value === 'number') return [];
  if (value instanceof Tensor) return [...value.shape];
  if (ArrayBuffer.isView(value)) return [value.length];
  if (Array.isArray(value)) {
    if (value.length === 0) return [0];
    const inner = shapeOf(value[0] as Leaf, where);
    value.forEach((row, i) => {
      const other = shapeOf(row as Leaf, where);
      if (!sameShape(other, inner)) {
        throw new Error(`batch(): ${where} is ragged: its entry ${i} has shape [${other.join(', ')}], but entry 0 has shape [${inner.join(', ')}]. Pad or map() the rows to one length; for several inputs, make the element an object ({ xs: { a, b } }) or a list of km.Tensors.`);
      }
    });
    return [value.length, ...inner];
  }
  throw new Error(`batch(): ${where} is ${describe(value)}; expected a number, an array of numbers, a typed array or a km.Tensor. Use map() to turn elements into those.`);
}

/** Writes a leaf's values (row-major) into `out` at `offset`; returns the count written. */
function writeLeaf(value: Leaf, out: Float32Array | Int32Array, offset: number): number {
  if (typeof value === 'number') {
    out[offset] = value;
    return 1;
  }
  if (value instanceof Tensor) {
    out.set(value.dataSync(), offset);
    return value.size;
  }
  if (ArrayBuffer.isView(value)) {
    out.set(value as ArrayLike<number>, offset);
    return value.length;
  }
  let written = 0;
  for (let i = 0; i < value.length; i++) written += writeLeaf(value[i] as Leaf, out, offset + written);
  return written;
}

function isInt(value: unknown): boolean {
  return value instanceof Int32Array || (value instanceof Tensor && value.dtype === 'int32');
}

function stackLeaves(values: Leaf[], where: string): Tensor {
  const shape = shapeOf(values[0], `${where} of element 0`);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = values.every(isInt) ? new Int32Array(values.length * size) : new Float32Array(values.length * size);
  values.forEach((value, i) => {
    const other = shapeOf(value, `${where} of element ${i}`);
    if (!sameShape(other, shape)) {
      throw new Error(
        `batch(): ${where} of element ${i} has shape [${other.join(', ')}], but element 0 has shape [${shape.join(', ')}]. ` +
          'Every element of a batch must have the same shape; pad or map() the elements to one shape.',
      );
    }
    writeLeaf(value, out, i * size);
  });
  return new Tensor(out, [values.length, ...shape], out instanceof Int32Array ? 'int32' : 'float32');
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof Tensor);
}

/** A list batched position by position, as tf.data batches one: it holds tensors or objects (a multi-input model's `xs`), not only numbers. */
function isTuple(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some((entry) => entry instanceof Tensor || isContainer(entry) || isTuple(entry));
}

/** Stacks a group of elements into one batch: leaves into tensors, objects key by key, lists of tensors position by position. */
export function stackBatch(group: unknown[], where = 'the element'): unknown {
  const first = group[0];
  const nested = (key: string | number) => (where === 'the element' ? (typeof key === 'number' ? `entry ${key}` : `'${key}'`) : typeof key === 'number' ? `${where}[${key}]` : `${where}.${key}`);
  if (isTuple(first)) {
    return first.map((_, k) =>
      stackBatch(
        group.map((element, i) => {
          if (!Array.isArray(element) || element.length !== first.length) throw new Error(`batch(): element ${i} is ${describe(element)}, but element 0 is a list of ${first.length} (tensors or objects). Give every element a list of the same length.`);
          return element[k];
        }),
        nested(k),
      ),
    );
  }
  if (!isContainer(first)) return stackLeaves(group as Leaf[], where);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const path = nested(key);
    out[key] = stackBatch(
      group.map((element, i) => {
        if (!isContainer(element) || !(key in element)) throw new Error(`batch(): element ${i} has no ${path}, but element 0 has one. Give every element the same keys.`);
        return element[key];
      }),
      path,
    );
  }
  return out;
}
