import type { SampleShape } from './unknown_dims.js';
import type { DType } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import { isNumberArray } from './foreign_values.js';
import { checkTensor } from './validate_data.js';

/**
 * What the first data given to a model says about its inputs: each one's per-sample shape and
 * dtype, in the form the data came in. A model whose input shapes are not declared is built from
 * it: a Sequential model from the first input's shape, a {@link Model} subclass by calling `call`
 * on symbolic inputs of the same form.
 */
export interface InputSample {
  /** Each input's shape without the batch dimension, in the data's order (null: an unknown dimension, from `build` or symbolic inputs). */
  readonly shapes: readonly SampleShape[];
  readonly dtypes: readonly DType[];
  /** The keys of data given as an object keyed by input name; null for one tensor or a list. */
  readonly names: readonly string[] | null;
  /** Whether the data was a list (a list of one included), so that `call` receives a list. */
  readonly list: boolean;
}

/** The {@link InputSample} of model inputs `x`: one tensor, a list, or an object keyed by input name. */
export function inputSampleOf(x: unknown): InputSample {
  const list = Array.isArray(x) && !isNumberArray(x);
  const named = !list && isPlainObject(x);
  const tensors = list ? (x as unknown[]) : named ? Object.values(x as object) : [x];
  // The first is named 'x' whatever the form, as the checks of a Sequential model's data always named it.
  const checked = (tensors.length > 0 ? tensors : [undefined]).map((t, k) => checkTensor(t, k === 0 ? 'x' : list ? `x[${k}]` : `x['${Object.keys(x as object)[k]}']`));
  return {
    shapes: checked.map((t) => t.shape.slice(1)),
    dtypes: checked.map((t) => t.dtype),
    names: named ? Object.keys(x as object) : null,
    list,
  };
}

/** The sample of inputs of `shapes`, declared float32 (a model's `build`): one input alone, several as a list. */
export function declaredInputSample(shapes: readonly SampleShape[]): InputSample {
  return { shapes, dtypes: shapes.map(() => 'float32'), names: null, list: shapes.length > 1 };
}
