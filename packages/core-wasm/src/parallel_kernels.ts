// The kernels a ThreadPool can split between threads, by id: what the caller writes into a
// worker's control slot and what the worker calls. A part is the wasm export's own argument
// list over a sub-range (rows, images, elements), so no kernel needs a threaded variant.
import type { KernelExports } from './wasm_exports.js';

interface ParallelKernel {
  name: keyof KernelExports;
  /** Parameters of the wasm export. */
  arity: number;
  /** Indices of f32 parameters: they travel as float bits in the Int32 slot. */
  floats: readonly number[];
  /** Index of the packing-scratch parameter, which each thread fills with its own buffer (-1: none). */
  scratch: number;
  /**
   * Indices of f64 parameters (Adam's β, from which the kernel forms 1−β before rounding): each
   * travels as its 8 bytes in two Int32 words, so it reaches the worker unrounded.
   */
  doubles: readonly number[];
}

const kernel = (name: keyof KernelExports, arity: number, floats: readonly number[] = [], scratch = -1, doubles: readonly number[] = []): ParallelKernel =>
  ({ name, arity, floats, scratch, doubles });

/** Words each parameter of `k` takes in a slot: 2 for an f64, else 1. */
const wordsOf = (k: ParallelKernel, i: number): number => (k.doubles.includes(i) ? 2 : 1);

// Moves a double's bits to and from two Int32 words.
const doubleBits = new Float64Array(1);
const doubleWords = new Int32Array(doubleBits.buffer);

/** Indexed by {@link KernelId}. */
const PARALLEL_KERNELS: readonly ParallelKernel[] = [
  kernel('gemm', 15, [], 12),
  kernel('im2col', 23),
  kernel('col2im', 23),
  kernel('maxPool', 19),
  kernel('maxPoolGrad', 21),
  kernel('avgPool', 19),
  kernel('avgPoolGrad', 19),
  kernel('dropoutMask', 4, [2]),
  kernel('adamUpdate', 9, [5, 8], -1, [6, 7]),
];

/** Ids of the kernels in PARALLEL_KERNELS. */
export const KernelId = {
  Gemm: 0, Im2col: 1, Col2im: 2, MaxPool: 3, MaxPoolGrad: 4, AvgPool: 5, AvgPoolGrad: 6, DropoutMask: 7, AdamUpdate: 8,
} as const;
export type KernelId = (typeof KernelId)[keyof typeof KernelId];

/** Words of a slot's argument area that a call of `id` uses: the id, then its arguments. */
export const MAX_CALL_WORDS = 1 + Math.max(...PARALLEL_KERNELS.map((k) => k.arity + k.doubles.length));

/** Calls kernel `id` of `exports` with `args`, giving it `scratch` where it takes packing scratch. */
export function invokeKernel(exports: KernelExports, id: KernelId, args: ArrayLike<number>, scratch: number): void {
  const k = PARALLEL_KERNELS[id];
  const list = Array.from(args);
  if (k.scratch >= 0) list[k.scratch] = scratch;
  (exports[k.name] as (...a: number[]) => unknown)(...list);
}

/** Writes a call of `id` at `at` in a slot: words[at] = id, then the arguments (f32 ones as float bits, f64 ones in two words). */
export function writeCall(words: Int32Array, floats: Float32Array, at: number, id: KernelId, args: readonly number[]): void {
  const k = PARALLEL_KERNELS[id];
  words[at] = id;
  for (let i = 0, w = at + 1; i < k.arity; w += wordsOf(k, i), i++) {
    if (k.doubles.includes(i)) {
      doubleBits[0] = args[i];
      words[w] = doubleWords[0];
      words[w + 1] = doubleWords[1];
    } else if (k.floats.includes(i)) floats[w] = args[i];
    else words[w] = args[i];
  }
}

/** Runs the call writeCall left at `at`, with this thread's `scratch`. */
export function runWrittenCall(exports: KernelExports, words: Int32Array, floats: Float32Array, at: number, scratch: number): void {
  const id = words[at] as KernelId;
  const k = PARALLEL_KERNELS[id];
  const args = new Array<number>(k.arity);
  for (let i = 0, w = at + 1; i < k.arity; w += wordsOf(k, i), i++) {
    if (k.doubles.includes(i)) {
      doubleWords[0] = words[w];
      doubleWords[1] = words[w + 1];
      args[i] = doubleBits[0];
    } else args[i] = k.floats.includes(i) ? floats[w] : words[w];
  }
  invokeKernel(exports, id, args, scratch);
}
