import type { Core } from '@kerasm/core-wasm';
import type { BufferId } from '../backend.js';
import type { OptimizerOps } from '../optimizer_ops.js';

/** The wasm backend's optimizer updates, clipping, regularizers and constraints: the core's SIMD kernels over flat buffers. */
export abstract class WasmOptimizerKernels implements OptimizerOps {
  readonly #core: Core;

  protected constructor(core: Core) {
    this.#core = core;
  }

  adamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#core.adamUpdate(params, grads, m, v, n, lrT, beta1, beta2, epsilon);
  }

  sgdUpdate(params: BufferId, grads: BufferId, velocity: BufferId, n: number, lr: number, momentum: number, nesterov: boolean): void {
    this.#core.sgdUpdate(params, grads, velocity, n, lr, momentum, nesterov);
  }

  amsgradUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, vHat: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#core.amsgradUpdate(params, grads, m, v, vHat, n, lrT, beta1, beta2, epsilon);
  }

  nadamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void {
    this.#core.nadamUpdate(params, grads, m, v, n, lr, beta1, beta2, epsilon, mCoef, gCoef, vScale);
  }

  adamaxUpdate(params: BufferId, grads: BufferId, m: BufferId, u: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#core.adamaxUpdate(params, grads, m, u, n, lrT, beta1, beta2, epsilon);
  }

  adagradUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, n: number, lr: number, epsilon: number): void {
    this.#core.adagradUpdate(params, grads, accumulator, n, lr, epsilon);
  }

  rmspropUpdate(params: BufferId, grads: BufferId, velocity: BufferId, avgGrad: BufferId, momentumBuffer: BufferId, n: number, lr: number, rho: number, momentum: number, epsilon: number): void {
    this.#core.rmspropUpdate(params, grads, velocity, avgGrad, momentumBuffer, n, lr, rho, momentum, epsilon);
  }

  adadeltaUpdate(params: BufferId, grads: BufferId, accumGrad: BufferId, accumDelta: BufferId, n: number, lr: number, rho: number, epsilon: number): void {
    this.#core.adadeltaUpdate(params, grads, accumGrad, accumDelta, n, lr, rho, epsilon);
  }

  lionUpdate(params: BufferId, grads: BufferId, m: BufferId, n: number, lr: number, beta1: number, beta2: number): void {
    this.#core.lionUpdate(params, grads, m, n, lr, beta1, beta2);
  }

  ftrlUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, linear: BufferId, n: number, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): void {
    this.#core.ftrlUpdate(params, grads, accumulator, linear, n, lr, power, l1, l2, l2Shrinkage);
  }

  lambUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number): void {
    this.#core.lambUpdate(params, grads, m, v, n, lr, beta1, beta2, epsilon, bias1, bias2);
  }

  adafactorUpdate(params: BufferId, grads: BufferId, r: BufferId, c: BufferId, v: BufferId, batches: number, rows: number, cols: number, factored: boolean, rho: number, beta: number, epsilon1: number, epsilon2: number, clipThreshold: number): void {
    this.#core.adafactorUpdate(params, grads, r, c, v, batches, rows, cols, factored, rho, beta, epsilon1, epsilon2, clipThreshold);
  }

  clipByNorm(x: BufferId, n: number, maxNorm: number): void {
    const norm = Math.sqrt(this.#core.sumSquares(x, n));
    if (norm > maxNorm) this.#core.scale(x, n, maxNorm / norm);
  }

  regularize(weights: BufferId, grad: BufferId, n: number, l1: number, l2: number): number {
    return this.#core.regularize(weights, grad, n, l1, l2);
  }

  normConstraint(weights: BufferId, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void {
    this.#core.normConstraint(weights, outer, reduce, inner, lo, hi, rate);
  }

  clipByValue(x: BufferId, n: number, lo: number, hi: number): void {
    this.#core.clipByValue(x, n, lo, hi);
  }

  scale(x: BufferId, n: number, factor: number): void {
    this.#core.scale(x, n, factor);
  }
}
