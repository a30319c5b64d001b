// tfjs' time: how long a function takes to run.
import { describeValue } from './ops/operand.js';

/** What {@link time} measures, with tfjs' names. */
export interface TimingInfo {
  /** Milliseconds from calling f to its return (or, when f returns a Promise, to its settling). */
  wallMs: number;
  /**
   * The same as wallMs: kerasm's host ops and its backends' kernels run inside f's call with no
   * separate kernel clock, so the time f took is the time its kernels took (tfjs' CPU backend
   * reports its kernels' summed time here, which leaves out the time between them).
   */
  kernelMs: number;
}

/**
 * Runs `f` and resolves to the milliseconds it took, as `tf.time(f)`. Where f returns a Promise,
 * the time runs until it settles (tfjs stops at f's return); its result is not kept.
 * @example
 * ```ts
 * const { wallMs } = await km.time(() => km.matMul(a, b));
 * ```
 */
export async function time(f: () => unknown): Promise<TimingInfo> {
  if (typeof f !== 'function') throw new Error(`km.time() takes the function to time, e.g. km.time(() => km.matMul(a, b)). Received: f=${describeValue(f)}.`);
  const start = performance.now();
  await f();
  const wallMs = performance.now() - start;
  return { wallMs, kernelMs: wallMs };
}
