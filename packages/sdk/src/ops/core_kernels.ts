// Host ops handed to the WASM core's kernels: where kerasm's own 'wasm' backend is the active one
// and the work is large enough to pay for copying the operands into its memory and the result out.
import type { Backend, BufferId } from '../backend/backend.js';
import { activeBackend } from '../backend/registry.js';

/**
 * Reads (outputs × the taps each reads) from which a pool or resize whose kernel gives the host's
 * values to the bit runs on the core, one thread, copies included: a 2×2 max pool of x [1, 16, 16,
 * 16] takes 6 µs there to the host's 14, of x [8, 32, 32, 16] 0.13 ms to 0.75. Below, the copies
 * eat most of the gain.
 */
export const CORE_EXACT_READS = 1 << 12;

/**
 * Reads from which a kernel that sums or blends in float32 runs on the core (the 2×2 average pool
 * of x [8, 32, 32, 16] in 0.11 ms to the host's 0.32): as matMul's products, smaller work keeps
 * tfjs' CPU values to the bit.
 */
export const CORE_ROUNDED_READS = 1 << 16;

/** The active backend where it is kerasm's WASM core and `work` reaches `threshold`; else null (the host loops run). */
export function coreFor(work: number, threshold: number): Backend | null {
  if (work < threshold) return null;
  const core = activeBackend();
  return core?.name === 'wasm' ? core : null;
}

/** The row list that has gatherRows copy a whole array as one row. */
const WHOLE = Int32Array.of(0);

/** How {@link onCore} prepares and checks its buffers. */
export interface OnCoreOptions {
  /** Return null without running the kernel where an input holds NaN or ±Infinity, which the core finds with SIMD as it copies the input in (gatherRows). */
  readonly finiteInputs?: boolean;
  /** The kernel writes every output value, so the output is not zero-filled first (a 1.2 MB fill takes about 20 µs). */
  readonly overwritesOutput?: boolean;
}

/**
 * Runs `kernel` on `core` over buffers holding `inputs` (in order) and, last, an output of
 * `outLength` floats (zeros unless `options.overwritesOutput`); returns the output read back, or
 * null where `options.finiteInputs` finds a non-finite input. Every buffer is freed, whatever happens.
 */
export function onCore(core: Backend, inputs: readonly ArrayLike<number>[], outLength: number, kernel: (ids: BufferId[]) => void, options?: OnCoreOptions & { finiteInputs?: false }): Float32Array;
export function onCore(core: Backend, inputs: readonly Float32Array[], outLength: number, kernel: (ids: BufferId[]) => void, options: OnCoreOptions): Float32Array | null;
export function onCore(core: Backend, inputs: readonly ArrayLike<number>[], outLength: number, kernel: (ids: BufferId[]) => void, { finiteInputs = false, overwritesOutput = false }: OnCoreOptions = {}): Float32Array | null {
  const ids: BufferId[] = [];
  try {
    // The inputs are copied in whole: they need no zeros.
    for (const v of inputs) ids.push(core.alloc(v.length, 'float32', false));
    ids.push(core.alloc(outLength, 'float32', !overwritesOutput));
    for (const [i, v] of inputs.entries()) {
      const values = v instanceof Float32Array ? v : Float32Array.from(v);
      if (!finiteInputs) core.write(ids[i], values);
      else if (core.gatherRows(ids[i], values, WHOLE, 0, 1, values.length, true) >= 0) return null;
    }
    kernel(ids);
    return core.read(ids[inputs.length], outLength, 'float32') as Float32Array;
  } finally {
    for (const id of ids) core.free(id);
  }
}

/** Runs `use` with a zeroed scratch buffer of `length` floats on `core` (a convolution's columns), freed whatever happens. */
export function withScratch<T>(core: Backend, length: number, use: (id: BufferId) => T): T {
  const id = core.alloc(length, 'float32');
  try {
    return use(id);
  } finally {
    core.free(id);
  }
}

/** The bits of a float32 -0. */
export const NEGATIVE_ZERO_BITS = -0x80000000;
