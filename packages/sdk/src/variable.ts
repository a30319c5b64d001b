// tfjs' variables: host tensors whose values an optimizer's `minimize` updates in place, which
// `km.variableGrads` differentiates against by default, and which no km.tidy disposes.
import { keepTensor } from './tensor_scopes.js';
import { Tensor, tensor, type DType, type TensorLike, type TypedArrayFor } from './tensor.js';

/** The live variables by name, as tfjs' engine registers them: names are unique until disposed. */
const registered = new Map<string, Variable>();
let unnamed = 0;

/**
 * A mutable tensor, as tfjs' `tf.Variable`: `assign` replaces its values, and an optimizer's
 * `minimize` updates the trainable ones. Made with {@link variable}.
 */
export class Variable<D extends DType = DType> extends Tensor<D> {
  /** Unique among live variables. */
  readonly name: string;
  /** Whether `minimize` and `km.variableGrads` include it when given no list. */
  trainable: boolean;

  /** @internal Use {@link variable}. */
  constructor(initial: Tensor<D>, trainable: boolean, name: string) {
    super(initial.dataSync().slice() as TypedArrayFor<D>, initial.shape, initial.dtype);
    this.name = name;
    this.trainable = trainable;
    keepTensor(this);
    registered.set(name, this);
  }

  /** Replaces the values with `value`'s, which must have this variable's shape and dtype, as tfjs' `assign`. */
  assign(value: Tensor<D>): void {
    if (!(value instanceof Tensor) || value.dtype !== this.dtype || value.shape.join() !== this.shape.join()) {
      const received = value instanceof Tensor ? `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]` : typeof value;
      throw new Error(`Variable '${this.name}'.assign takes a ${this.dtype} tensor of its shape [${this.shape.join(', ')}]. Received: ${received}.`);
    }
    this.replaceValues(value.dataSync().slice() as TypedArrayFor<D>);
  }

  override dispose(): void {
    if (registered.get(this.name) === this) registered.delete(this.name);
    super.dispose();
  }
}

/**
 * A variable holding a copy of `initialValue`, as `tf.variable(initialValue, trainable, name, dtype)`.
 * @example
 * ```ts
 * const a = km.variable(km.scalar(Math.random()));
 * const optimizer = km.train.sgd(0.5);
 * optimizer.minimize(() => a.mul(xs).sub(ys).square().mean()); // fits a·x to y
 * ```
 */
export function variable<D extends DType = DType>(initialValue: Tensor<D> | TensorLike, trainable = true, name?: string, dtype?: D): Variable<D> {
  const initial = initialValue instanceof Tensor ? initialValue : (tensor(initialValue) as Tensor<D>);
  if (initial.isDisposed) throw new Error('km.variable(): the initial value was disposed. Make the variable before disposing the tensor.');
  const cast = dtype === undefined || dtype === initial.dtype ? initial : (tensor(Array.from(initial.dataSync()), initial.shape, dtype) as Tensor<D>);
  const unique = name ?? `variable${unnamed++}`;
  if (registered.has(unique)) throw new Error(`km.variable(): a variable named '${unique}' exists already, as tfjs refuses too. Give another name, or dispose the other variable first.`);
  return new Variable(cast, trainable, unique);
}

/** The live variables, trainable ones only unless `all`, in the order they were made. */
export function liveVariables(all = false): Variable[] {
  return [...registered.values()].filter((v) => all || v.trainable);
}

/** The live variable named `name`, if any. */
export function variableNamed(name: string): Variable | undefined {
  return registered.get(name);
}

/**
 * Disposes every live variable (trainable or not), freeing their names, as `tf.disposeVariables()`.
 * A model's weights are not km.variables, so models keep theirs.
 * @example `km.disposeVariables()` (between experiments that make variables of the same names)
 */
export function disposeVariables(): void {
  for (const v of liveVariables(true)) v.dispose();
}
