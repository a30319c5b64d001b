// How a km.metrics / km.losses function tells tfjs' use, a value computed on tensors
// (`km.metrics.binaryAccuracy(yTrue, yPred)`), from the factory's (`km.metrics.binaryAccuracy({ threshold })`).
import { isTfjsTensor, sameShape, Tensor, type TensorLike } from '../tensor.js';
import { operand } from '../ops/operand.js';

/** Whether `value` is a tensor or values km.tensor takes (a number, nested arrays, a typed array), never options. */
export function isTensorArgument(value: unknown): boolean {
  return value instanceof Tensor || isTfjsTensor(value) || typeof value === 'number' || Array.isArray(value) || ArrayBuffer.isView(value);
}

/** Whether a call's arguments are tfjs' (yTrue, yPred, ...): a second argument, or a first that is a tensor. */
export function isTensorCall(args: readonly unknown[]): boolean {
  return (args.length > 1 && args[1] !== undefined) || isTensorArgument(args[0]);
}

/**
 * The two tensors of a tensor call as km.Tensors (`names`: tfjs' names of them), or the error for a
 * tfjs tensor, a missing second one or a value that is no tensor.
 */
export function tensorPair(call: string, args: readonly unknown[], names: readonly [string, string] = ['yTrue', 'yPred']): [Tensor, Tensor] {
  const [a, b] = names;
  if (args[1] === undefined) {
    throw new Error(`${call}(${a}, ${b}) computes on two tensors, but received only ${a}. Pass both, e.g. ${call}(km.tensor([[0, 1]]), km.tensor([[0.2, 0.8]])); for the ${call.startsWith('km.metrics') ? 'metric' : 'loss'} to compile, call ${call}() with no tensors.`);
  }
  return [tensorArgument(call, a, args[0]), tensorArgument(call, b, args[1])];
}

/** One tensor argument as a km.Tensor, the error naming it when it is neither a tensor nor values. */
export function tensorArgument(call: string, name: string, value: unknown): Tensor {
  if (!isTensorArgument(value)) {
    const received = value === null ? 'null' : typeof value === 'object' ? `an object with keys [${Object.keys(value as object).join(', ')}]` : typeof value;
    throw new Error(`${call}: ${name} must be a km.Tensor, a number or nested arrays of numbers. Received: ${received}. Make a km.tensor of the values first.`);
  }
  return operand(call, name, value as Tensor | TensorLike);
}

/** Throws unless the two tensors of `call` have the same shape; tfjs' functions would broadcast them (or refuse) instead. */
export function checkSameShape(call: string, a: Tensor, b: Tensor, names: readonly [string, string] = ['yTrue', 'yPred']): void {
  if (sameShape(a.shape, b.shape)) return;
  const [an, bn] = names;
  const hint = a.size === b.size ? ` They hold as many values: reshape one, e.g. ${an}.reshape([${b.shape.join(', ')}]).` : ` Pass one ${an} value for each ${bn} value.`;
  throw new Error(`${call}: ${an} and ${bn} must have the same shape. Received: ${an} [${a.shape.join(', ')}], ${bn} [${b.shape.join(', ')}].${hint}`);
}

/** Throws when `t` is a scalar where `call` reduces over its last axis. */
export function checkHasAxis(call: string, t: Tensor, name: string): void {
  if (t.rank === 0) throw new Error(`${call}: ${name} is a scalar, but this reduces over the last axis. Pass at least one axis, e.g. km.tensor([value]).`);
}
