/**
 * WebAssembly SIMD kernels for kerasm: GEMM, activations, losses, metrics and optimizers over
 * raw buffers in one linear memory.
 *
 * @example
 * ```ts
 * import { loadCore } from '@kerasm/core-wasm';
 * const core = await loadCore();
 * const a = core.malloc(4 * 2 * 3), b = core.malloc(4 * 3 * 2), c = core.malloc(4 * 2 * 2);
 * core.f32().set([1, 2, 3, 4, 5, 6], a / 4);
 * core.f32().set([1, 0, 0, 1, 1, 1], b / 4);
 * core.gemm(false, false, 2, 2, 3, a, 3, b, 2, c, 2, false); // c = [[4, 5], [10, 11]]
 * ```
 * @packageDocumentation
 */

/** Kinds for {@link Core.activationForward} / {@link Core.activationBackward}. */
export { Activation } from './activation.js';
/** Kinds for {@link Core.inputActivationForward} / {@link Core.inputActivationBackward}. */
export { InputActivation } from './input_activation.js';
/** Kinds for {@link Core.elementwiseLoss}. */
export { LossKind, RowLossKind } from './loss_kind.js';
/** The loaded kernels, their memory and heap; see the class docs. */
export { Core, type Flavor, type GemmEpilogue } from './core.js';
/** Loads the kernels (`loadCore`), checks relaxed SIMD support, and the loader options. */
export { loadCore, relaxedSimdSupported, type LoadCoreOptions } from './loader.js';
/** Parameters of the activation layers' kernels (Core.piecewiseLinearForward, Core.preluForward). */
export type { PiecewiseLinear, PreluGeometry } from './parametric_activation.js';
/** The shape of a convolution or pooling window operation over an NHWC batch. */
export type { WindowGeometry } from './geometry.js';
/** The shape of an image resize over an NHWC batch (Core.resize), and its interpolations. */
export type { ResizeGeometry, ResizeInterpolation } from './geometry.js';
/** A resize on tf.image.resizeBilinear's and resizeNearestNeighbor's sampling grids (Core.resizeOnGrid). */
export type { ResizeGrid } from './geometry.js';
export { depthAxis } from './geometry.js';
/** A projective transform of an NHWC batch (Core.transformImages), and its fill modes. */
export { FILL_MODES, type ColorAdjustment, type FillMode, type ImageTransform } from './image_transform.js';
/** Whether worker threads can share memory here, how many a core gets, and how many logical cores there are. */
export { threadsSupported, usableThreads, hardwareThreads } from './thread_pool.js';
/** The first-fit allocator Core uses; exported for tests and custom memories. */
export { Heap } from './heap.js';
