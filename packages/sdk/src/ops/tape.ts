// The record km.grad and its siblings keep while they run `f`: each op whose inputs depend on an
// argument appends its output and a backward closure, and `backpropagate` walks those steps in
// reverse, accumulating cotangents (flat float32 arrays) per tensor. Outside a gradient call there
// is no tape: ops ask `taping()` before they make a closure, so they record and cost nothing.
// This module imports no values, so that tensor.ts can record reshape, slice and clone.
import type { Tensor } from '../tensor.js';

/**
 * The cotangent of each input from the cotangent of the output, all flat; null where an input gets
 * none. `needed` says which inputs depend on an argument: the others' may be skipped (null).
 */
export type Backward = (dy: Float32Array, needed: readonly boolean[]) => readonly (Float32Array | null)[];

interface Step {
  readonly output: Tensor;
  readonly inputs: readonly Tensor[];
  readonly backward: Backward;
}

/** The steps of one gradient call, and the tensors that depend on its arguments (the arguments too). */
export interface Tape {
  readonly dependent: Set<Tensor>;
  readonly steps: Step[];
  /**
   * Which objects outside the ops (a model's weights, by spec) the call differentiates with respect
   * to: each gets an argument that joins the tape when f first uses the object (see {@link joinedArgument}).
   */
  readonly joins: (key: object) => boolean;
  /** The arguments joined so far, by key, in the order they joined. */
  readonly joined: Map<object, Tensor>;
  /** What to free once the gradients are computed (the buffers a model's recorded pass keeps). */
  readonly cleanups: (() => void)[];
}

let active: Tape | null = null;

/** Whether a gradient call is running, so that an op should {@link record} itself. */
export function taping(): boolean {
  return active !== null;
}

/**
 * Records an op on the running tape when one of its inputs depends on an argument. An int32 output
 * carries no gradient (argMax, topk's indices, a cast to int32), so it is never recorded.
 */
export function record(output: Tensor, inputs: readonly Tensor[], backward: Backward): void {
  const tape = active;
  if (tape === null || output.dtype !== 'float32' || !inputs.some((t) => tape.dependent.has(t))) return;
  tape.dependent.add(output);
  tape.steps.push({ output, inputs, backward });
}

/** `out`, recorded as passing its cotangent to `input` unchanged: the same values in another shape (reshape, clone, a float32 cast). */
export function passingCotangent<T extends Tensor>(out: T, input: Tensor): T {
  if (active !== null) record(out, [input], (dy) => [dy]);
  return out;
}

/** Whether `t` depends on the running gradient call's arguments, so that what computes with it must record a step. */
export function dependsOnArguments(t: Tensor): boolean {
  return active !== null && active.dependent.has(t);
}

/**
 * The argument standing for `key` in the running gradient call (a model's weight, which lives in
 * the model rather than in a tensor), made by `make` when f first uses it; null when no call is
 * running or it does not differentiate with respect to `key`.
 */
export function joinedArgument(key: object, make: () => Tensor): Tensor | null {
  const tape = active;
  if (tape === null || !tape.joins(key)) return null;
  let arg = tape.joined.get(key);
  if (arg === undefined) {
    arg = make();
    tape.joined.set(key, arg);
    tape.dependent.add(arg);
  }
  return arg;
}

/** Frees `cleanup`'s resources once the running gradient call has computed its gradients. */
export function afterGradients(cleanup: () => void): void {
  active?.cleanups.push(cleanup);
}

/** Runs the tape's cleanups (see {@link afterGradients}). */
export function closeTape(tape: Tape): void {
  for (const cleanup of tape.cleanups.splice(0)) cleanup();
}

/**
 * Runs `f` while a tape watches `args` (and the objects `joins` accepts, see {@link joinedArgument});
 * returns f's result and the tape, which {@link closeTape} must close. Gradient calls do not
 * nest: the backward closures work on plain arrays, so they cannot themselves be differentiated.
 */
export function recordWhile<T>(fn: string, args: readonly Tensor[], f: () => T, joins: (key: object) => boolean = () => false): { result: T; tape: Tape } {
  if (active !== null) {
    throw new Error(
      `${fn} was called inside the f of another gradient call (km.grad, km.grads, km.valueAndGrad or km.valueAndGrads). ` +
        'kerasm computes first derivatives only, so gradient calls cannot nest: compute the inner gradient outside f, or take a second derivative by finite differences.',
    );
  }
  const tape: Tape = { dependent: new Set(args), steps: [], joins, joined: new Map(), cleanups: [] };
  active = tape;
  try {
    return { result: f(), tape };
  } catch (e) {
    closeTape(tape);
    throw e;
  } finally {
    active = null;
  }
}

/** Runs `f` with the tape paused, so that its ops record nothing (a custom gradient's forward and gradient functions). */
export function untaped<T>(f: () => T): T {
  const tape = active;
  active = null;
  try {
    return f();
  } finally {
    active = tape;
  }
}

/** The cotangent of each of `args` when `y`'s is `dy`; null for an argument `y` does not depend on. */
export function backpropagate(tape: Tape, y: Tensor, dy: Float32Array, args: readonly Tensor[]): (Float32Array | null)[] {
  const cotangents = new Map<Tensor, Float32Array>([[y, dy]]);
  for (let s = tape.steps.length - 1; s >= 0; s--) {
    const { output, inputs, backward } = tape.steps[s];
    const g = cotangents.get(output);
    if (g === undefined) continue;
    const needed = inputs.map((x) => tape.dependent.has(x));
    const grads = backward(g, needed);
    inputs.forEach((x, i) => {
      const gx = grads[i];
      if (gx == null || !needed[i]) return;
      const sum = cotangents.get(x);
      cotangents.set(x, sum === undefined ? gx : added(sum, gx));
    });
  }
  return args.map((x) => cotangents.get(x) ?? null);
}

// A new array: a backward closure may hand on its own cotangent (add, reshape), which must not change.
function added(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
