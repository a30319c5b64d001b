import { hardwareThreads, loadCore, usableThreads } from '@kerasm/core-wasm';
import type * as tfc from '@tensorflow/tfjs-core';
import type { Backend } from './backend.js';

let active: Backend | null = null;
let loading: Promise<Backend> | null = null;

/** Names `km.setBackend` accepts, and `km.getBackend` and `km.backends()` give. */
export type BackendName = 'wasm' | 'tfjs-webgl' | 'tfjs-webgpu' | 'tfjs-wasm' | 'tfjs-cpu' | 'tfjs-node' | 'tfjs-node-gpu';

const WASM = 'wasm';
/** Threads asked for with setThreads; null means all logical cores. */
let threadsSetting: number | null = null;

// core-wasm is imported statically: every import of the SDK evaluates it already (backend.ts
// re-exports its depthAxis), and it is the default backend. The WASM and tfjs backends stay dynamic
// imports, each a chunk of its own, so a page loads only the one it runs (and never tfjs by default).
async function loadWasm(): Promise<Backend> {
  const { WasmBackend } = await import('./wasm/wasm_backend.js');
  // Browsers without cross-origin isolation get one thread from loadCore whatever is asked.
  return new WasmBackend(await loadCore({ threads: threadsSetting ?? (await hardwareThreads()) }));
}

async function loadBackend(name: string, tf?: typeof tfc): Promise<Backend> {
  if (name === WASM) return loadWasm();
  const [{ TFJS_BACKENDS, loadTfjs }, { TfjsBackend }] = await Promise.all([import('./tfjs/load_tfjs.js'), import('./tfjs/tfjs_backend.js')]);
  const spec = TFJS_BACKENDS.find((b) => b.name === name);
  if (!spec) {
    // tfjs' own names ('webgl', 'cpu', 'tensorflow') are kerasm's with the tfjs- prefix.
    const meant = TFJS_BACKENDS.find((b) => b.tfjsName === name);
    const hint = meant ? ` TensorFlow.js' '${name}' backend is kerasm's '${meant.name}'.` : '';
    throw new Error(`Unknown backend '${name}'.${hint} Valid backends: ${[WASM, ...TFJS_BACKENDS.map((b) => b.name)].map((n) => `'${n}'`).join(', ')}.`);
  }
  const lib = await loadTfjs(spec, tf);
  if (!(await lib.setBackend(spec.tfjsName))) {
    throw new Error(`TensorFlow.js could not initialise its '${spec.tfjsName}' backend here, so '${name}' is unavailable (${spec.tfjsName === 'webgpu' ? 'no WebGPU adapter here' : spec.tfjsName === 'webgl' ? 'WebGL is not supported in this context' : 'see the console for tfjs\'s reason'}). Use km.backends() to see what runs here.`);
  }
  await lib.ready();
  return new TfjsBackend(lib, name);
}

/**
 * Loads the default backend (the WASM SIMD core, relaxed SIMD where the runtime validates it)
 * unless another was set. `fit`, `evaluate` and `loadLayersModel` call it for you; call it yourself
 * before the first synchronous `predict`.
 *
 * @example
 * ```ts
 * await km.ready();
 * ```
 */
export async function ready(): Promise<void> {
  if (active) return;
  await setBackend(WASM);
}

/**
 * Switches the backend every model runs on. `'wasm'` is kerasm's own SIMD core (the default);
 * `'tfjs-*'` run the same kernels as TensorFlow.js ops, loading the optional `@tensorflow/tfjs-*`
 * packages on demand. Models move their weights to the new backend on their next use. Naming the
 * active backend again makes its tfjs backend current again, where other code called `tf.setBackend`.
 *
 * @param options.tf A TensorFlow.js module to use instead of importing one (for bundled pages:
 *   import `@tensorflow/tfjs-core` and the backend package yourself and pass the core module).
 * @example
 * ```ts
 * await km.setBackend('tfjs-webgl');
 * ```
 */
export async function setBackend(name: BackendName, options: { tf?: typeof tfc } = {}): Promise<void> {
  if (active?.name === name) return active.resume?.();
  await switchTo(name, options.tf);
}

/** Work to finish on a backend before it stops being the active one. */
type LeavingHook = (leaving: Backend) => Promise<void>;
const leavingHooks: LeavingHook[] = [];

/**
 * @internal Runs `hook` with the active backend each time another replaces it, before it does:
 * models move the weights they keep on it to the host there, reading without blocking.
 */
export function beforeLeavingBackend(hook: LeavingHook): void {
  leavingHooks.push(hook);
}

async function switchTo(name: string, tf: typeof tfc | undefined): Promise<void> {
  const previous = loading;
  loading = (async () => {
    await previous?.catch(() => undefined);
    return loadBackend(name, tf);
  })();
  try {
    const old = active;
    const next = await loading;
    if (old && old !== next) for (const hook of leavingHooks) await hook(old);
    active = next;
    old?.stopThreads?.();
  } finally {
    loading = null;
  }
}

/**
 * Sets how many threads the WASM backend's kernels use (default: all logical cores in Node; in
 * browsers all cores when the page is cross-origin isolated, else 1). Call it before the first
 * `fit`/`ready()`, or later to reload the backend with the new count (models move their weights
 * on their next use). Results are bit-identical for every thread count. Where memory cannot be
 * shared with workers (a page without the COOP/COEP headers), a count above 1 gives one thread
 * and a one-time console warning naming the headers.
 *
 * @example
 * ```ts
 * await km.setThreads(1);        // one thread, e.g. to leave the other cores free
 * await model.fit(x, y, { epochs: 5 });
 * ```
 */
export async function setThreads(threads: number): Promise<void> {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new Error(`setThreads: threads must be an integer ≥ 1; received ${String(threads)}. Pass e.g. km.setThreads(2), or km.setThreads(1) for one thread.`);
  }
  threadsSetting = threads;
  const usable = usableThreads(threads);
  if (usable < threads) warnNoSharedMemory(threads);
  // Reloading the core to get the count it already runs would only refetch the .wasm.
  if (active?.name === WASM && active.threads !== usable) await switchTo(WASM, undefined);
}

let warnedNoSharedMemory = false;

function warnNoSharedMemory(threads: number): void {
  if (warnedNoSharedMemory) return;
  warnedNoSharedMemory = true;
  console.warn(`kerasm: km.setThreads(${threads}) runs the WASM backend on 1 thread here: there is no SharedArrayBuffer, so worker threads cannot share its memory. A web page gets SharedArrayBuffer when it is cross-origin isolated: serve it with the headers 'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'.`);
}

/** The active backend; throws when {@link ready} has not completed. */
export function backend(): Backend {
  if (!active) {
    throw new Error('The kerasm backend is not loaded yet. Call `await km.ready()` once before synchronous calls such as model.predict().');
  }
  return active;
}

/** The active backend, or null before {@link ready} has completed. */
export function activeBackend(): Backend | null {
  return active;
}

/** The active backend's name, e.g. `'wasm'` or `'tfjs-webgl'`. */
export function getBackend(): BackendName {
  // Only setBackend makes backends, and it refuses any other name.
  return backend().name as BackendName;
}

/**
 * The active backend's name, which kernels it runs (`'wasm-simd'`, `'wasm-relaxed-simd'`,
 * `'tfjs-webgl'`, ...) and on how many threads (1 for backends that manage no threads of their own).
 */
export function getBackendInfo(): { name: string; kernels: string; threads: number } {
  const b = backend();
  return { name: b.name, kernels: b.kernels, threads: b.threads ?? 1 };
}

/** One entry of {@link backends}. */
export interface BackendAvailability {
  name: BackendName;
  available: boolean;
  /** Why it is not available here, when it is not. */
  reason?: string;
}

/**
 * Which backends can run here, and why not where not. Probing a tfjs backend loads its packages.
 *
 * @param options.tf The TensorFlow.js module to probe instead of importing one, as
 *   {@link setBackend} takes it. A bundled web page cannot import packages by name at run time,
 *   so there pass the tfjs module it imports with its backend packages; without it every tfjs
 *   backend reports "not installed".
 * @example
 * ```ts
 * for (const b of await km.backends()) console.log(b.name, b.available ? 'yes' : b.reason);
 * // In a bundled page:
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-webgl';
 * const list = await km.backends({ tf }); // tfjs-webgl: available where WebGL runs
 * ```
 */
export async function backends(options: { tf?: typeof tfc } = {}): Promise<BackendAvailability[]> {
  const names: BackendName[] = ['wasm', 'tfjs-webgl', 'tfjs-webgpu', 'tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'tfjs-node-gpu'];
  const results: BackendAvailability[] = [];
  for (const name of names) {
    try {
      if (name === WASM) {
        await loadCore();
      } else {
        const { TFJS_BACKENDS, loadTfjs } = await import('./tfjs/load_tfjs.js');
        const spec = TFJS_BACKENDS.find((b) => b.name === name)!;
        const tf = await loadTfjs(spec, options.tf);
        const current = tf.getBackend();
        const ok = await tf.setBackend(spec.tfjsName);
        if (current && current !== spec.tfjsName) await tf.setBackend(current);
        if (!ok) throw new Error(`TensorFlow.js could not initialise '${spec.tfjsName}' here.`);
      }
      results.push({ name, available: true });
    } catch (error) {
      results.push({ name, available: false, reason: (error as Error).message });
    }
  }
  return results;
}
