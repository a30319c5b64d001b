// The tfjs functions whose workings depend on the platform (browser or Node): a clock, fetch, and
// waiting for the next frame.
import { describeValue } from '../ops/operand.js';

/**
 * The current time in milliseconds, with sub-millisecond resolution, from an arbitrary origin
 * (performance.now()), as `tf.util.now`: subtract two readings to time something.
 * @example
 * ```ts
 * const start = km.util.now();
 * await model.fit(xs, ys);
 * console.log(`${km.util.now() - start} ms`);
 * ```
 */
export function now(): number {
  return performance.now();
}

/**
 * The platform's `fetch(path, requestInits)`, as `tf.util.fetch`. Browsers and Node 18+ have one;
 * where none exists this throws (tfjs falls back to the node-fetch package, which kerasm does not
 * depend on).
 * @example `const response = await km.util.fetch('model/model.json');`
 */
export function fetch(path: string, requestInits?: RequestInit): Promise<Response> {
  if (typeof (globalThis as { fetch?: unknown }).fetch !== 'function') {
    throw new Error(`km.util.fetch(): this platform has no global fetch (Node before 18?). Upgrade Node, or set globalThis.fetch to an implementation such as node-fetch's. Received: path=${describeValue(path)}.`);
  }
  return globalThis.fetch(path, requestInits);
}

type Schedule = (callback: () => void) => unknown;

function nextFrameScheduler(): Schedule {
  const g = globalThis as { requestAnimationFrame?: Schedule; setImmediate?: Schedule };
  if (typeof g.requestAnimationFrame === 'function') return (callback) => g.requestAnimationFrame?.(callback);
  if (typeof g.setImmediate === 'function') return (callback) => g.setImmediate?.(callback);
  return (callback) => setTimeout(callback, 0);
}

/**
 * Resolves on the next animation frame (requestAnimationFrame) in a browser, or after the pending
 * I/O in Node (setImmediate), as `tf.nextFrame`: awaiting it in a long loop lets the page draw and
 * respond. Where neither exists it resolves after a setTimeout of 0 (tfjs resolves at once there).
 * @example
 * ```ts
 * for (let step = 0; step < 1000; step++) {
 *   await model.trainOnBatch(xs, ys);
 *   await km.nextFrame();
 * }
 * ```
 */
export function nextFrame(): Promise<void> {
  const schedule = nextFrameScheduler();
  return new Promise((resolve) => {
    schedule(() => resolve());
  });
}
