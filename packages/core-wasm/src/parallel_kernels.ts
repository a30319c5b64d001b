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
}

const kernel = (name: keyof KernelExports, arity: number, floats: readonly number[] = [], scratch = -1): ParallelKernel => ({ name, arity, floats, scratch });

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
  kernel('adamUpdate', 9, [5, 6, 7, 8]),
];

/** Ids of the kernels in PARALLEL_KERNELS. */
export const KernelId = {
  Gemm: 0, Im2col: 1, Col2im: 2, MaxPool: 3, MaxPoolGrad: 4, AvgPool: 5, AvgPoolGrad: 6, DropoutMask: 7, AdamUpdate: 8,
} as const;
export type KernelId = (typeof KernelId)[keyof typeof KernelId];

/** Words of a slot's argument area that a call of `id` uses: the id, then its arguments. */
export const MAX_CALL_WORDS = 1 + Math.max(...PARALLEL_KERNELS.map((k) => k.arity));

/** Calls kernel `id` of `exports` with `args`, giving it `scratch` where it takes packing scratch. */
export function invokeKernel(exports: KernelExports, id: KernelId, args: ArrayLike<number>, scratch: number): void {
  const k = PARALLEL_KERNELS[id];
  const list = Array.from(args);
  if (k.scratch >= 0) list[k.scratch] = scratch;
  (exports[k.name] as (...a: number[]) => unknown)(...list);
}

/** Writes a call of `id` at `at` in a slot: words[at] = id, then the arguments (f32 ones as float bits). */
export function writeCall(words: Int32Array, floats: Float32Array, at: number, id: KernelId, args: readonly number[]): void {
  const k = PARALLEL_KERNELS[id];
  words[at] = id;
  for (let i = 0; i < k.arity; i++) {
    if (k.floats.includes(i)) floats[at + 1 + i] = args[i];
    else words[at + 1 + i] = args[i];
  }
}

/** Runs the call writeCall left at `at`, with this thread's `scratch`. */
export function runWrittenCall(exports: KernelExports, words: Int32Array, floats: Float32Array, at: number, scratch: number): void {
  const id = words[at] as KernelId;
  const k = PARALLEL_KERNELS[id];
  const args = new Array<number>(k.arity);
  for (let i = 0; i < k.arity; i++) args[i] = k.floats.includes(i) ? floats[at + 1 + i] : words[at + 1 + i];
  invokeKernel(exports, id, args, scratch);
}
