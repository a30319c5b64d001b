// What every op does with its tensor arguments: take a km.Tensor or values km.tensor makes one of
// (as tfjs' ops take arrays and numbers), and read the values on the host.
import { SymbolicTensor } from '../engine/symbolic.js';
import { isTfjsTensor, Tensor, tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';

/**
 * What user code returned or passed where a km.Tensor belongs, for messages: 'a Promise' (an async
 * function), 'a TensorFlow.js tensor', 'an array', a class name, or a type with its value.
 */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Promise) return 'a Promise';
  if (isTfjsTensor(v)) return 'a TensorFlow.js tensor';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : `${typeof v} ${String(v)}`;
}

/** `x` as a km.Tensor; `name` names the argument in errors, e.g. 'x' or 'tensors[1]'. */
export function operand<D extends DType>(fn: string, name: string, x: Tensor<D> | TensorLike): Tensor<D> {
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${fn}: ${name} was disposed (by dispose() or km.tidy). Keep it with km.keep(t), or call ${fn} before disposing it.`);
    return x;
  }
  if (isTfjsTensor(x)) throw new Error(`${fn}: ${name} is a TensorFlow.js tensor; kerasm ops take km.Tensors. Convert it with km.tensor(await t.data(), t.shape), or use tfjs' own op.`);
  if (x instanceof SymbolicTensor) {
    throw new Error(
      `${fn}: ${name} is a symbolic tensor ('${x.name}'), a placeholder for a model's data, and km ops compute on data. ` +
        'Where a functional model or a km.Model\'s call connects layers, compute with layers: the merge layers (km.layers.add(), km.layers.multiply(), km.layers.concatenate()), ' +
        'or km.layers.lambda((x) => ...) around the ops.',
    );
  }
  return tensor(x as TensorLike) as Tensor<D>;
}

/**
 * The values of `t`, read synchronously. These ops compute on the host, so a tensor still on a
 * device that cannot read synchronously (tfjs-webgpu) must be read with `await t.data()` first.
 */
export function hostValues<D extends DType>(fn: string, t: Tensor<D>): TypedArrayFor<D> {
  try {
    return t.dataSync();
  } catch (e) {
    throw new Error(`${fn} computes on the host and could not read the tensor's values synchronously: ${(e as Error).message} Read them first with \`await t.data()\`; ops then use the values read.`, { cause: e });
  }
}

/** A typed array of `size` elements for `dtype`. */
export function typedArray<D extends DType>(dtype: D, size: number): TypedArrayFor<D> {
  return (dtype === 'int32' ? new Int32Array(size) : new Float32Array(size)) as TypedArrayFor<D>;
}
