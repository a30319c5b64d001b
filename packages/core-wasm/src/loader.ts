// Finds, validates and instantiates the kernel build that suits the runtime.
import { Core, type Flavor } from './core.js';
import { ThreadPool, usableThreads } from './thread_pool.js';
import type { KernelExports } from './wasm_exports.js';

/** Options for {@link loadCore}. */
export interface LoadCoreOptions {
  /** Which build to load; 'auto' (default) takes relaxed SIMD when the runtime validates it. */
  flavor?: 'auto' | Flavor;
  /**
   * Where the wasm lives: a URL ending in `.wasm` names the file itself (its flavor is
   * `flavor`, or with 'auto' inferred from "relaxed" in the name); any other URL is the folder
   * holding `kernels-simd.wasm` and `kernels-relaxed-simd.wasm`. Default: the package's build/.
   */
  wasmUrl?: string | URL;
  /** Memory to run in (passed as env.memory); default a new 2 MiB memory that grows on demand. */
  memory?: WebAssembly.Memory;
  /**
   * Threads that run gemm and the other big kernels, the calling one included (default 1).
   * Above 1 the `-threads` builds run over a shared memory with `threads − 1` workers; where
   * shared memory is unavailable (a browser page that is not cross-origin isolated) the core
   * runs on one thread instead.
   * Results are bit-identical for every thread count.
   */
  threads?: number;
  /** With threads > 1: the shared memory's maximum in 64 KiB pages (default 16384, 1 GiB). */
  maximumMemoryPages?: number;
}

const DEFAULT_MAXIMUM_PAGES = 16384;
const INITIAL_PAGES = 32;

const SIMD_REQUIRED =
  'WebAssembly SIMD is required but this runtime does not support it. It is available in ' +
  'Chrome/Edge 91+, Firefox 89+, Safari 16.4+, Node.js 16.4+, Deno and Bun.';

// (module (func v128.const 0 v128.const 0 v128.const 0 f32x4.relaxed_madd drop))
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02,
  0x01, 0x00, 0x0a, 0x3e, 0x01, 0x3c, 0x00,
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]),
  0xfd, 0x85, 0x02, 0x1a, 0x0b,
]);

const isNode = (): boolean =>
  typeof process !== 'undefined' && typeof process.versions === 'object' && !!process.versions.node;

/**
 * True when the runtime validates relaxed SIMD (`f32x4.relaxed_madd`). In Node 20 this needs
 * `node --experimental-wasm-relaxed-simd`; Chromium has it without flags.
 */
export async function relaxedSimdSupported(): Promise<boolean> {
  return WebAssembly.validate(RELAXED_PROBE);
}

/** A build's file stem: the flavor, plus `-threads` for the shared-memory build. */
type BuildName = Flavor | `${Flavor}-threads`;

function resolveUrl(wasmUrl: string | URL | undefined, flavor: BuildName): URL {
  if (wasmUrl === undefined) return new URL(`../build/kernels-${flavor}.wasm`, import.meta.url);
  const base = typeof location !== 'undefined' ? location.href : import.meta.url;
  const url = new URL(wasmUrl, base);
  if (namesFile(url)) return url;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL(`kernels-${flavor}.wasm`, url);
}

/** True when wasmUrl names a .wasm file rather than the folder holding both builds. */
const namesFile = (wasmUrl: string | URL): boolean => new URL(wasmUrl, 'file:///').pathname.endsWith('.wasm');

async function readBytes(url: URL): Promise<BufferSource> {
  if (url.protocol === 'file:' && isNode()) {
    // Imported only here so browser bundles never pull in Node built-ins.
    const fs = await import(/* @vite-ignore */ /* webpackIgnore: true */ 'node:fs/promises');
    return (await fs.readFile(url)) as Uint8Array<ArrayBuffer>;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`loadCore: could not fetch ${url.href}: HTTP ${response.status}.`);
  return response.arrayBuffer();
}

function makeImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      // AssemblyScript's abort(message, fileName, line, column); strings are UTF-16 with the
      // byte length stored just before the data.
      abort(message: number, file: number, line: number, column: number): never {
        const read = (ptr: number): string => {
          if (ptr === 0) return '';
          const bytes = new Uint32Array(memory.buffer, ptr - 4, 1)[0];
          return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
        };
        throw new Error(`core-wasm abort: ${read(message)} at ${read(file)}:${line}:${column}`);
      },
    },
  };
}

async function instantiate(url: URL, imports: WebAssembly.Imports, bytes?: BufferSource): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (!bytes && url.protocol !== 'file:' && typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      return await WebAssembly.instantiateStreaming(fetch(url), imports);
    } catch {
      // Wrong MIME type or no SIMD: fall through to the byte path, which says which.
    }
  }
  const source = bytes ?? (await readBytes(url));
  if (!WebAssembly.validate(source)) throw new Error(`${SIMD_REQUIRED} (could not validate ${url.href})`);
  try {
    return await WebAssembly.instantiate(source, imports);
  } catch (error) {
    if (error instanceof WebAssembly.LinkError && /memory/i.test(error.message)) {
      throw new Error(`loadCore: ${url.href} does not accept this memory (${error.message}). With threads > 1 wasmUrl must name a kernels-*-threads.wasm build and memory must be shared; with one thread, a plain build and a non-shared memory.`, { cause: error });
    }
    throw error;
  }
}

function threadCount(threads: unknown): number {
  if (threads === undefined) return 1;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new Error(`loadCore: threads must be an integer ≥ 1; received ${String(threads)}. Pass e.g. { threads: 2 }, or omit it for one thread.`);
  }
  return threads;
}

function createMemory(threaded: boolean, maximumPages: number | undefined): WebAssembly.Memory {
  if (!threaded) return new WebAssembly.Memory({ initial: INITIAL_PAGES });
  const maximum = maximumPages ?? DEFAULT_MAXIMUM_PAGES;
  if (!Number.isInteger(maximum) || maximum < INITIAL_PAGES || maximum > 65536) {
    throw new Error(`loadCore: maximumMemoryPages must be an integer from ${INITIAL_PAGES} to 65536 (64 KiB pages); received ${String(maximumPages)}.`);
  }
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
}

/**
 * Loads the kernels and returns a {@link Core} over a fresh (or the given) memory.
 *
 * @example
 * ```ts
 * const core = await loadCore();                      // relaxed SIMD when available
 * const plain = await loadCore({ flavor: 'simd' });   // force the plain SIMD build
 * ```
 */
const OPTIONS: readonly (keyof LoadCoreOptions)[] = ['flavor', 'wasmUrl', 'memory', 'threads', 'maximumMemoryPages'];

export async function loadCore(options: LoadCoreOptions = {}): Promise<Core> {
  // An option misspelt (`thread: 2`) would otherwise be ignored silently.
  const unknown = Object.keys(options).filter((key) => !(OPTIONS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new Error(`loadCore has no option ${unknown.map((k) => `'${k}'`).join(', ')}. Its options are: ${OPTIONS.join(', ')}.`);
  const requested = options.flavor ?? 'auto';
  if (requested !== 'auto' && requested !== 'simd' && requested !== 'relaxed-simd') {
    throw new Error(`loadCore: flavor must be 'auto', 'simd' or 'relaxed-simd'; received ${String(requested)}.`);
  }
  const asked = threadCount(options.threads);
  // Without shared memory (a browser page that is not cross-origin isolated) run on one thread.
  const threads = usableThreads(asked);
  const threaded = threads > 1;
  if (threaded && options.memory && !(options.memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error('loadCore: threads > 1 needs a shared memory; received a non-shared WebAssembly.Memory. Omit `memory`, or pass new WebAssembly.Memory({ initial, maximum, shared: true }).');
  }
  const memory = options.memory ?? createMemory(threaded, options.maximumMemoryPages);
  const imports = makeImports(memory);
  const build = (f: Flavor): BuildName => (threaded ? `${f}-threads` : f);

  let flavor: Flavor;
  let url: URL;
  let bytes: BufferSource | undefined;
  if (requested !== 'auto') {
    flavor = requested;
    url = resolveUrl(options.wasmUrl, build(flavor));
  } else if (options.wasmUrl !== undefined && namesFile(options.wasmUrl)) {
    url = resolveUrl(options.wasmUrl, 'simd');
    flavor = /relaxed/.test(url.pathname) ? 'relaxed-simd' : 'simd';
  } else {
    const relaxedUrl = resolveUrl(options.wasmUrl, build('relaxed-simd'));
    const relaxed = await readBytes(relaxedUrl);
    if (WebAssembly.validate(relaxed)) {
      flavor = 'relaxed-simd';
      url = relaxedUrl;
      bytes = relaxed;
    } else {
      flavor = 'simd';
      url = resolveUrl(options.wasmUrl, build('simd'));
    }
  }
  const { instance, module } = await instantiate(url, imports, bytes);
  const exports = instance.exports as unknown as KernelExports;
  const core = new Core(flavor, memory, exports);
  if (threaded) {
    const pool = await ThreadPool.start(module, memory, threads - 1, exports, core.scratchOffset, (n) => core.malloc(n));
    core.attachThreadPool(pool);
  }
  return core;
}
