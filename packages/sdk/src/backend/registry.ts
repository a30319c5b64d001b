import type { Backend } from './backend.js';

let active: Backend | null = null;
let loading: Promise<Backend> | null = null;

/**
 * Loads the default backend (the WASM SIMD core, relaxed SIMD where the runtime validates it).
 * `fit`, `evaluate` and `loadLayersModel` call it for you; call it yourself before the first
 * synchronous `predict`.
 *
 * @example
 * ```ts
 * await km.ready();
 * ```
 */
export async function ready(): Promise<void> {
  if (active) return;
  loading ??= (async () => {
    const [{ loadCore }, { WasmBackend }] = await Promise.all([
      import('@kerasm/core-wasm'),
      import('./wasm/wasm_backend.js'),
    ]);
    return new WasmBackend(await loadCore());
  })();
  try {
    active = await loading;
  } finally {
    loading = null;
  }
}

/** The active backend; throws when {@link ready} has not completed. */
export function backend(): Backend {
  if (!active) {
    throw new Error('The kerasm backend is not loaded yet. Call `await km.ready()` once before synchronous calls such as model.predict().');
  }
  return active;
}

/** The active backend's name, e.g. `'wasm'`. */
export function getBackend(): string {
  return backend().name;
}

/** The active backend's name and which kernels it runs (`'wasm-simd'` or `'wasm-relaxed-simd'`). */
export function getBackendInfo(): { name: string; kernels: string } {
  const b = backend();
  return { name: b.name, kernels: b.kernels };
}
