// The data a km.Model's own trainStep / testStep receives: fit's x, y (and sampleWeight) in the
// form they were given, one batch of rows at a time.
import { describeValue, hostValues, typedArray } from '../ops/operand.js';
import { shapeSize, Tensor } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import type { TensorsSpec } from './outputs.js';

/** One batch as `trainStep` and `testStep` receive it: `[x, y]`, or `[x, y, sampleWeight]` when fit was given one, each in the form fit received. */
export type StepData = [x: TensorsSpec, y: TensorsSpec] | [x: TensorsSpec, y: TensorsSpec, sampleWeight: TensorsSpec];

/** fit's data taken apart into tensors that share their first axis, and put back together per batch. */
export class StepRows {
  readonly #tensors: Tensor[];
  readonly #assemble: (tensors: Tensor[]) => StepData;
  /** The number of samples. */
  readonly size: number;

  /** `parts` are fit's x, y and optional sampleWeight; `names` name them in errors ('x', 'validationData[0]', ...). */
  constructor(parts: readonly (TensorsSpec | undefined)[], names: readonly string[]) {
    const forms = parts.map((part, k) => (part === undefined ? null : formOf(part, names[k])));
    this.#tensors = forms.flatMap((f) => f?.tensors ?? []);
    const labels = forms.flatMap((f) => f?.labels ?? []);
    if (this.#tensors.length === 0) throw new Error(`fit: ${names[0]} holds no tensors; give it the model's inputs.`);
    this.size = this.#tensors[0].shape[0];
    this.#tensors.forEach((t, i) => {
      if (t.shape.length === 0) throw new Error(`fit: ${labels[i]} is a scalar; each tensor fit reads holds one row per sample along its first axis.`);
      if (t.shape[0] !== this.size) throw new Error(`fit: ${labels[0]} has ${this.size} samples but ${labels[i]} has ${t.shape[0]}; every tensor needs one row per sample.`);
    });
    this.#assemble = (tensors) => {
      let at = 0;
      const rebuilt = forms.map((f) => {
        if (!f) return undefined;
        const own = tensors.slice(at, (at += f.tensors.length));
        return f.rebuild(own);
      });
      return rebuilt.filter((part) => part !== undefined) as StepData;
    };
  }

  /** The rows `order[start, start + count)` of every tensor, as the step receives them. */
  batch(order: Int32Array, start: number, count: number): { data: StepData; tensors: Tensor[] } {
    const tensors = this.#tensors.map((t) => rowsOf(t, order, start, count));
    return { data: this.#assemble(tensors), tensors };
  }
}

/** The rows `order[start, start + count)` of `t`, copied a row at a time. */
function rowsOf(t: Tensor, order: Int32Array, start: number, count: number): Tensor {
  const values = hostValues('fit', t);
  const row = shapeSize(t.shape.slice(1));
  const out = typedArray(t.dtype, count * row);
  for (let i = 0; i < count; i++) {
    const from = order[start + i] * row;
    out.set(values.subarray(from, from + row), i * row);
  }
  return new Tensor(out, [count, ...t.shape.slice(1)], t.dtype);
}

/** One of fit's arguments as a list of tensors, with labels for errors and the way back to its form. */
function formOf(part: TensorsSpec, name: string): { tensors: Tensor[]; labels: string[]; rebuild: (tensors: Tensor[]) => TensorsSpec } {
  if (part instanceof Tensor) return { tensors: [checked(part, name)], labels: [name], rebuild: ([t]) => t };
  if (Array.isArray(part)) {
    return { tensors: part.map((t, i) => checked(t, `${name}[${i}]`)), labels: part.map((_, i) => `${name}[${i}]`), rebuild: (tensors) => tensors };
  }
  if (isPlainObject(part)) {
    const keys = Object.keys(part);
    const record = part as Readonly<Record<string, Tensor>>;
    return {
      tensors: keys.map((key) => checked(record[key], `${name}.${key}`)),
      labels: keys.map((key) => `${name}.${key}`),
      rebuild: (tensors) => Object.fromEntries(keys.map((key, i) => [key, tensors[i]])),
    };
  }
  throw new Error(`fit: ${name} must be a km.Tensor, a list of them, or an object of them keyed by name. Received: ${describeValue(part)}.`);
}

function checked(t: unknown, label: string): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`fit: ${label} must be a km.Tensor (km.tensor(values, shape)). Received: ${describeValue(t)}.`);
  if (t.isDisposed) throw new Error(`fit: ${label} was disposed; keep the tensors fit reads alive until it returns.`);
  return t;
}
