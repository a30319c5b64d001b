import { backend } from './registry.js';

/** What {@link memory} reports. */
export interface MemoryInfo {
  /**
   * Bytes allocated on the active backend now: on `'wasm'`, kerasm's buffers in the core's heap
   * (weights, optimizer state, batch buffers); on a `'tfjs-*'` backend, `tf.memory().numBytes`
   * (every tfjs tensor, kerasm's and any other code's).
   */
  numBytes: number;
  /**
   * On `'wasm'`: the size of the core's WebAssembly memory, allocated or free. It grows in 64 KiB
   * pages and never shrinks, so it is the high-water mark of `numBytes` plus fragmentation.
   * Absent on tfjs backends.
   */
  reservedBytes?: number;
  /** The active backend, as `km.getBackend()` names it. */
  backend: string;
}

/**
 * How much memory the active backend holds, as tfjs' `tf.memory()`: watch `numBytes` to find a
 * leak (it should return to its level after `model.dispose()`). There is no tensor count: a
 * `km.Tensor` holds its values in host memory, which the garbage collector frees.
 * Throws, as `km.getBackendInfo()` does, before `km.ready()` has loaded a backend.
 *
 * @example
 * ```ts
 * await km.ready();
 * const before = km.memory().numBytes;
 * const model = km.sequential([km.layers.dense({ units: 10, inputShape: [784] })]);
 * model.predict(km.zeros([1, 784]));
 * console.log(km.memory().numBytes - before); // the weights and batch buffers, in bytes
 * model.dispose();
 * ```
 */
export function memory(): MemoryInfo {
  const b = backend();
  const info: MemoryInfo = { numBytes: b.memoryBytes(), backend: b.name };
  const reserved = b.reservedBytes?.();
  if (reserved !== undefined) info.reservedBytes = reserved;
  return info;
}
