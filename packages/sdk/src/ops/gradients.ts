// tfjs' tf.grad, tf.grads, tf.valueAndGrad and tf.valueAndGrads over kerasm's host ops: reverse-mode
// differentiation of a function of float32 tensors, recorded on the tape (tape.ts) while it runs.
import { Tensor, sameShape, type TensorLike } from '../tensor.js';
import { closeScope, openScope } from '../tensor_scopes.js';
import { describeValue, hostValues, operand } from './operand.js';
import { backpropagate, closeTape, recordWhile, type Tape } from './tape.js';

/** A function of float32 tensors that returns one tensor, as tfjs' gradient functions take. */
export type GradientFunction<O extends Tensor = Tensor> = (...args: Tensor<'float32'>[]) => O;

/** The error when f's result does not depend on an argument through ops that record a gradient. */
export class UnconnectedGradientError extends Error {}

interface ValueAndGrads<O extends Tensor> {
  value: O;
  grads: Tensor<'float32'>[];
  /** Whether f's value depends on each argument (where not, its gradient is zeros, or the call threw). */
  connected?: boolean[];
  /** The gradient with respect to each argument that joined while f ran (a model's weight, by key), zeros where f does not depend on it. */
  joined?: { key: object; grad: Tensor<'float32'>; connected: boolean }[];
}

function checkFunction(fn: string, f: unknown): void {
  if (typeof f !== 'function') throw new Error(`${fn} takes the function to differentiate, e.g. ${fn.slice(0, -1)}(x) => x.square().sum()). Received: f=${describeValue(f)}.`);
}

/** The arguments as float32 km.Tensors; `names` names each in errors. */
function argumentsOf(fn: string, args: readonly (Tensor | TensorLike)[], names: (i: number) => string): Tensor<'float32'>[] {
  return args.map((a, i) => {
    const t = operand(fn, names(i), a);
    if (t.dtype !== 'float32') {
      throw new Error(`${fn}: ${names(i)} is ${t.dtype}, but gradients are float32 only (an integer input has no derivative). Cast it first: km.cast(${names(i)}, 'float32'). Received: ${names(i)}.dtype='${t.dtype}'.`);
    }
    return t as Tensor<'float32'>;
  });
}

/**
 * Runs `f` on `args` while the tape records, then backpropagates `dy` (ones by default). Every
 * tensor made on the way is disposed but the gradients, and the value when `keepValue`.
 */
function differentiate<O extends Tensor>(
  fn: string, f: GradientFunction<O>, args: readonly (Tensor | TensorLike)[], dy: Tensor | TensorLike | undefined, names: (i: number) => string, keepValue: boolean, unconnected: 'throw' | 'zeros' = 'throw',
  joins?: (key: object) => boolean,
): ValueAndGrads<O> {
  openScope();
  let result: ValueAndGrads<O> | undefined;
  let tape: Tape | undefined;
  try {
    const xs = argumentsOf(fn, args, names);
    const recorded = recordWhile<unknown>(fn, xs, () => f(...xs), joins);
    tape = recorded.tape;
    const y = recorded.result;
    if (!(y instanceof Tensor)) {
      const hint = y instanceof Promise ? ' f must be synchronous: drop async/await, and read no values with await inside it.' : ' Return the value to differentiate, e.g. a loss, computed with km ops.';
      throw new Error(`${fn}: f must return a km.Tensor.${hint} Received: f returned ${describeValue(y)}.`);
    }
    let cotangent: Float32Array;
    if (dy === undefined || dy === null) cotangent = new Float32Array(y.size).fill(1);
    else {
      const tdy = operand(fn, 'dy', dy);
      if (tdy.dtype !== 'float32' || !sameShape(tdy.shape, y.shape)) {
        throw new Error(
          `${fn}: dy must be a float32 tensor of the shape f returns, [${y.shape.join(', ')}] (it weighs each value of f's result). ` +
            `Received: dy.shape=[${tdy.shape.join(', ')}], dy.dtype='${tdy.dtype}'.`,
        );
      }
      cotangent = hostValues(fn, tdy as Tensor<'float32'>);
    }
    const late = [...tape.joined];
    const all = backpropagate(tape, y, cotangent, [...xs, ...late.map(([, arg]) => arg)]);
    const gs = all.slice(0, xs.length);
    const missing = gs.findIndex((g) => g === null);
    if (missing >= 0 && unconnected === 'throw') {
      const int32 = y.dtype === 'int32' ? ` f returned an int32 tensor, which carries no gradient.` : '';
      throw new UnconnectedGradientError(
        `${fn}: cannot compute the gradient of y = f(...) with respect to ${names(missing)}: y does not depend on it.${int32} ` +
          'Compute y from it with km ops inside f; values read with dataSync() and made into new tensors, TensorFlow.js ops, and int32 results ' +
          '(argMax, argMin, topk indices, a cast to int32) pass no gradient.',
      );
    }
    // Backward steps hand arrays on unchanged (add, reshape, f the identity): copy where one would be shared with dy or another gradient.
    const handed = new Set<Float32Array>(dy == null ? [] : [cotangent]);
    const grads = gs.map((g, i) => {
      if (g === null) return new Tensor(new Float32Array(xs[i].size), xs[i].shape, 'float32');
      const values = handed.has(g) ? g.slice() : g;
      handed.add(values);
      return new Tensor(values, xs[i].shape, 'float32');
    });
    const joined = late.map(([key, arg], j) => {
      const g = all[xs.length + j];
      return { key, grad: new Tensor(g === null ? new Float32Array(arg.size) : handed.has(g) ? g.slice() : g, arg.shape, 'float32'), connected: g !== null };
    });
    result = { value: y as O, grads, connected: gs.map((g) => g !== null), joined };
    return result;
  } finally {
    if (tape) closeTape(tape);
    closeScope(new Set<Tensor>(result ? [...result.grads, ...result.joined!.map((j) => j.grad), ...(keepValue ? [result.value] : [])] : []));
  }
}

/**
 * Provided `f(x)`, returns `g(x, dy?)`, the gradient of `f` with respect to `x`, as `tf.grad`. With
 * `dy`, the gradient of `f(x).mul(dy).sum()`; without, of `f(x).sum()`. `f` runs synchronously with
 * kerasm's ops (km.add, x.square(), ...), on float32 tensors only; tensors it makes are disposed.
 * First derivatives only: gradient calls do not nest (one inside `f` throws).
 * @example
 * ```ts
 * const g = km.grad((x) => x.square());     // f(x) = x², f'(x) = 2x
 * g(km.tensor([2, 3])).arraySync();          // [4, 6]
 * ```
 */
export function grad(f: (x: Tensor<'float32'>) => Tensor): (x: Tensor | TensorLike, dy?: Tensor | TensorLike) => Tensor<'float32'> {
  checkFunction('km.grad()', f);
  return (x, dy) => differentiate('km.grad()', f, [x], dy, () => 'x', false).grads[0];
}

/**
 * Provided `f(x1, x2, ...)`, returns `g([x1, x2, ...], dy?)`, the gradients of `f` with respect to
 * each argument, as `tf.grads`. `dy` weighs f's result as in {@link grad}.
 * @example
 * ```ts
 * const g = km.grads((a, b) => a.mul(b));   // d(ab)/da = b, d(ab)/db = a
 * const [da, db] = g([km.tensor([2, 3]), km.tensor([-2, -3])]); // da: [-2, -3] (b), db: [2, 3] (a)
 * ```
 */
export function grads(f: GradientFunction): (args: readonly (Tensor | TensorLike)[], dy?: Tensor | TensorLike) => Tensor<'float32'>[] {
  checkFunction('km.grads()', f);
  return (args, dy) => {
    checkArgs('km.grads()', args);
    return differentiate('km.grads()', f, args, dy, (i) => `args[${i}]`, false).grads;
  };
}

/**
 * As {@link grad}, also returning f's value, as `tf.valueAndGrad`.
 * @example
 * ```ts
 * const { value, grad } = km.valueAndGrad((x) => x.square().sum())(km.tensor([2, 3]));
 * value.arraySync(); // 13
 * grad.arraySync();  // [4, 6]
 * ```
 */
export function valueAndGrad<O extends Tensor>(f: (x: Tensor<'float32'>) => O): (x: Tensor | TensorLike, dy?: Tensor | TensorLike) => { value: O; grad: Tensor<'float32'> } {
  checkFunction('km.valueAndGrad()', f);
  return (x, dy) => {
    const { value, grads } = differentiate('km.valueAndGrad()', f, [x], dy, () => 'x', true);
    return { value, grad: grads[0] };
  };
}

/**
 * As {@link grads}, also returning f's value, as `tf.valueAndGrads`: how a loss written with km ops
 * gives its value and its gradient with respect to the predictions.
 * @example
 * ```ts
 * const yTrue = km.tensor([[0, 1], [1, 0]]);
 * const mse = (yPred: km.Tensor) => yTrue.sub(yPred).square().mean(-1); // one loss per sample
 * const { value, grads } = km.valueAndGrads(mse)([km.tensor([[0.2, 0.7], [0.9, 0.4]])], km.tensor([0.5, 0.5]));
 * value.shape;    // [2]
 * grads[0].shape; // [2, 2]
 * ```
 */
export function valueAndGrads<O extends Tensor>(f: GradientFunction<O>): (args: readonly (Tensor | TensorLike)[], dy?: Tensor | TensorLike) => { value: O; grads: Tensor<'float32'>[] } {
  checkFunction('km.valueAndGrads()', f);
  return (args, dy) => {
    checkArgs('km.valueAndGrads()', args);
    return differentiate('km.valueAndGrads()', f, args, dy, (i) => `args[${i}]`, true);
  };
}

/**
 * The gradient of `f(...args)` weighed by `dy` with respect to each argument, zeros for one `f` does
 * not depend on: a layer's backward pass, where an unused input or weight simply gets none. `fn`
 * names the caller in errors.
 */
export function vectorJacobianProducts(fn: string, f: GradientFunction, args: readonly Tensor[], dy: Tensor): Tensor<'float32'>[] {
  return differentiate(fn, f, args, dy, (i) => `args[${i}]`, false, 'zeros').grads;
}

/**
 * f's value and its gradient with respect to each of `args`, which f reads as they are (variables
 * it closes over): zeros and `connected[i]` false for one f does not depend on, as tfjs'
 * variableGrads needs to leave those out; and with respect to the objects `joins` accepts that f
 * uses (a model's weights), in `joined`.
 */
export function valueAndConnectedGrads(fn: string, f: () => Tensor, args: readonly Tensor[], joins?: (key: object) => boolean): Required<ValueAndGrads<Tensor>> {
  return differentiate(fn, () => f(), args, undefined, (i) => `args[${i}]`, true, 'zeros', joins) as Required<ValueAndGrads<Tensor>>;
}

function checkArgs(fn: string, args: unknown): void {
  if (!Array.isArray(args) || args.length === 0) {
    throw new Error(`${fn} differentiates with respect to a non-empty array of tensors: ${fn.slice(0, -1)}f)([x1, x2]). Received: args=${Array.isArray(args) ? '[]' : describeValue(args)}.`);
  }
}
