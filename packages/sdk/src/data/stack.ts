import { sameShape, Tensor, type DType } from '../tensor.js';

type Leaf = number | ArrayLike<number> | Tensor;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}

/** What tfjs makes of a boolean leaf, which kerasm has no dtype for: a 'bool' tensor. */
function missingDtype(value: unknown, where: string): Error | null {
  if (typeof value !== 'boolean') return null;
  return new Error(`batch(): ${where} is a boolean (${value}). tfjs batches booleans into a 'bool' tensor, a dtype kerasm lacks (it has 'float32' and 'int32'). Map them to numbers first, e.g. .map((e) => ({ ...e, ys: e.ys ? 1 : 0 })).`);
}

/** Whether a value is text: a string, or a non-empty list of strings (one element's tokens), or of such lists (a batch of them). */
export function isText(value: unknown): value is string | unknown[] {
  return typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || (Array.isArray(v) && isText(v))));
}

/**
 * A batch of text leaves as a plain list (a string[], or a string[][] of token lists), where tfjs
 * makes a 'string' tensor: kerasm's tensors hold no strings, and a StringLookup or
 * TextVectorization's `apply` reads the list as it is.
 */
function stackText(values: unknown[], where: string): string[] | string[][] {
  const kind = (v: unknown) => (typeof v === 'string' ? 'a string' : isText(v) ? 'a list of strings' : v === null || Array.isArray(v) ? describe(v) : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
  const first = kind(values[0]);
  values.forEach((value, i) => {
    if (kind(value) !== first) {
      throw new Error(`batch(): ${where} of element ${i} is ${kind(value)} (${JSON.stringify(value)?.slice(0, 60)}), but element 0 is ${first}. Give every element the same kind of value: map the numbers to strings (String(v)) or encode the text as numbers.`);
    }
  });
  return typeof values[0] === 'string' ? (values as string[]) : (values as string[][]).map((row) => [...row]);
}

function textAmongNumbers(value: unknown, where: string): Error {
  return new Error(`batch(): ${where} is text (${JSON.stringify(value).slice(0, 60)}), where element 0 holds numbers. A batch holds one kind of value: encode the text as numbers (e.g. with a km.layers.stringLookup in a map), or map the numbers to strings.`);
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
  if (isText(value)) throw textAmongNumbers(value, where);
  throw missingDtype(value, where) ?? new Error(`batch(): ${where} is ${describe(value)}; expected a number, an array of numbers, a typed array, a km.Tensor or text. Use map() to turn elements into those.`);
}

/** Typed arrays whose values are always int32 values, and which tfjs batches as int32. */
function holdsInt32(values: unknown): boolean {
  return values instanceof Int32Array || values instanceof Uint8Array || values instanceof Uint8ClampedArray;
}

/**
 * The batch dtype, which tfjs takes from the first value of the first element (its `inferDtype`):
 * int32 for an Int32Array, Uint8Array, Uint8ClampedArray or int32 tensor, float32 for anything else.
 */
function firstValueDtype(value: unknown): DType {
  if (Array.isArray(value)) return firstValueDtype(value[0]);
  if (value instanceof Tensor) return value.dtype;
  return holdsInt32(value) ? 'int32' : 'float32';
}

/** Copies values into an int32 batch, refusing one that would change (tfjs truncates 3.5 to 3 without a word). */
function writeInt32(values: ArrayLike<number>, out: Int32Array, offset: number, where: string): void {
  if (!holdsInt32(values)) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if ((v | 0) !== v) {
        throw new Error(
          `batch(): ${where} holds ${v}, but the batch is int32 because element 0 starts with int32 values (an Int32Array, Uint8Array or int32 tensor; as in tfjs, the first value sets the dtype), and ${v} is not an int32. ` +
            'Give every element the same kind of values, e.g. map the rows to Float32Array for a float32 batch.',
        );
      }
    }
  }
  out.set(values, offset);
}

/** Writes a leaf's values (row-major) into `out` at `offset`; returns the count written. */
function writeLeaf(value: Leaf, out: Float32Array | Int32Array, offset: number, where: string): number {
  if (Array.isArray(value)) {
    let written = 0;
    for (const row of value) written += writeLeaf(row as Leaf, out, offset + written, where);
    return written;
  }
  const values = typeof value === 'number' ? [value] : value instanceof Tensor ? value.dataSync() : value;
  if (out instanceof Int32Array) writeInt32(values, out, offset, where);
  else out.set(values, offset);
  return values.length;
}

function stackLeaves(values: Leaf[], where: string): Tensor | string[] | string[][] {
  if (isText(values[0])) return stackText(values, where);
  const shape = shapeOf(values[0], `${where} of element 0`);
  const size = shape.reduce((a, b) => a * b, 1);
  const dtype = firstValueDtype(values[0]);
  const out = dtype === 'int32' ? new Int32Array(values.length * size) : new Float32Array(values.length * size);
  values.forEach((value, i) => {
    const other = shapeOf(value, `${where} of element ${i}`);
    if (!sameShape(other, shape)) {
      throw new Error(
        `batch(): ${where} of element ${i} has shape [${other.join(', ')}], but element 0 has shape [${shape.join(', ')}]. ` +
          'Every element of a batch must have the same shape; pad or map() the elements to one shape.',
      );
    }
    writeLeaf(value, out, i * size, `${where} of element ${i}`);
  });
  return new Tensor(out, [values.length, ...shape], dtype);
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
