// For tests of host ops that hand their work to the WASM core: which of the core's kernels an op
// calls, and its values on the host loops beside the core's.
import { vi, type MockInstance } from 'vitest';
import type { Backend } from '../backend/backend.js';
import { backend, setBackend } from '../backend/registry.js';

/** The names of the backend's kernels (its methods). */
type Kernel = { [K in keyof Backend]-?: NonNullable<Backend[K]> extends (...args: never[]) => unknown ? K : never }[keyof Backend];

/** Runs `f`, counting its calls of each of the active backend's kernels `kernels`; returns f's result and the counts. */
export function kernelCalls<T>(kernels: readonly Kernel[], f: () => T): [T, number[]] {
  const core = backend() as unknown as Record<Kernel, (...args: unknown[]) => unknown>;
  const spies: MockInstance[] = kernels.map((k) => vi.spyOn(core, k));
  try {
    const result = f();
    return [result, spies.map((s) => s.mock.calls.length)];
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

/** How many times `f` calls the active backend's kernel `kernel`. */
export function kernelCallCount(kernel: Kernel, f: () => unknown): number {
  return kernelCalls([kernel], f)[1][0];
}

/** `f`'s result on the host loops (the 'tfjs-cpu' backend keeps them) and then on the 'wasm' backend, where 'wasm' stays active. */
export async function hostAndCore<T>(f: () => T): Promise<[T, T]> {
  await setBackend('tfjs-cpu');
  const host = f();
  await setBackend('wasm');
  return [host, f()];
}
