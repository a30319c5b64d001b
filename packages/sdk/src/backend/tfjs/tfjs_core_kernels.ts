import type * as tfc from '@tensorflow/tfjs-core';
import { depthAxis, type ActivationKind, type InputActivationKind, type FusableActivation, type BufferDType, type BufferId, type ElementwiseLossKind, type ParametricActivation, type PreluGeometry, type RowwiseLossKind, type WindowGeometry } from '../backend.js';
import { firstNonFiniteRow } from '../non_finite.js';
import { activate, activationGradFromOutput, fusedMatMulActivation } from './activation_ops.js';
import { activateFromInput, activationGradFromInput } from './input_activation_ops.js';
import { BufferStore } from './buffer_store.js';
import { parametricActivate, parametricActivationGrad, preluGradTensors, preluTensor } from './parametric_activation_ops.js';
import { elementwiseLossTerms } from './elementwise_losses.js';
import { crossEntropyTerms } from './cross_entropy_ops.js';
import { batchMatMulTensor } from './batch_matmul_ops.js';
import { WindowIndex, windowRows } from './window_ops.js';
import { rowwiseLossTerms } from './rowwise_losses.js';
import { weighted, weightedSum } from './loss_weight_ops.js';
import { adadeltaTensors, adagradTensors, adamaxTensors, adamTensors, ftrlTensors, lionTensors, nadamTensors, rmspropTensors, sgdTensors } from './optimizer_rule_ops.js';
import { adafactorTensors, lambTensors } from './per_weight_optimizer_ops.js';
import { TFJS_BACKENDS } from './load_tfjs.js';

type Tf = typeof tfc;

const EPSILON = 1e-7;

/**
 * The TensorFlow.js backend's storage and its model-wide kernels (GEMM, activations, losses, metrics,
 * optimizers, convolution windows), each a few tfjs ops in a tidy scope. TfjsBackend (tfjs_backend.ts) adds the
 * layer families' kernels; both reach the buffers through the protected helpers here.
 */
export abstract class TfjsCoreKernels {
  readonly name: string;
  readonly kernels: string;
  readonly hostResident = false;
  protected readonly tf: Tf;
  protected readonly store: BufferStore;
  protected readonly windows: WindowIndex;
  /**
   * tfjs-webgpu's synchronous read is refused: it throws in Node (Dawn has no OffscreenCanvas), and
   * in headless Chromium it returned zeros for weights trained there and left later buffer maps
   * failing ("A valid external Instance reference no longer exists"). An error beats wrong numbers.
   */
  readonly #readsSynchronously: boolean;
  /** The tfjs backend this one runs on, e.g. 'webgl'. */
  readonly #tfjsName: string;

  constructor(tf: Tf, name: string) {
    this.tf = tf;
    this.name = name;
    this.kernels = `tfjs-${tf.getBackend()}`;
    this.store = new BufferStore(tf);
    this.windows = new WindowIndex(tf);
    this.#tfjsName = tf.getBackend();
    this.#readsSynchronously = this.#tfjsName !== 'webgpu';
  }

  /**
   * Runs `fn` in a tidy scope: intermediates are freed, and `set` keeps what it stores. Refuses to
   * when tfjs' global backend has been switched since: the ops would run there instead, silently.
   */
  protected run<T>(fn: () => T): T {
    const current = this.tf.getBackend();
    if (current !== this.#tfjsName) {
      const there = TFJS_BACKENDS.find((spec) => spec.tfjsName === current)?.name;
      throw new Error(
        `Backend '${this.name}' runs on TensorFlow.js' '${this.#tfjsName}' backend, but tfjs' active backend is now '${current}': tf.setBackend was called after km.setBackend. ` +
          `Call \`await km.setBackend('${this.name}')\` again before training${there ? `, or \`await km.setBackend('${there}')\` to train on '${current}'` : ''}.`,
      );
    }
    return this.tf.tidy(fn as () => never) as T;
  }

  /** Makes this backend's tfjs backend the active one again, where something switched tfjs away from it. */
  async resume(): Promise<void> {
    if (this.tf.getBackend() !== this.#tfjsName) await this.tf.setBackend(this.#tfjsName);
  }

  /** The first n elements of a buffer (optimizers sweep only the trainable prefix). */
  protected prefix(id: BufferId, n: number): BufferId {
    return this.store.length(id) === n ? id : this.store.view(id, 0, n);
  }

  /** A buffer as a [rows, cols] tensor. */
  protected matrix(id: BufferId, rows: number, cols: number): tfc.Tensor2D {
    return this.tf.reshape(this.store.get(id), [rows, cols]);
  }

  alloc(length: number, dtype: BufferDType): BufferId {
    return this.store.alloc(length, dtype);
  }

  free(id: BufferId): void {
    this.store.free(id);
  }

  view(id: BufferId, offset: number, length: number): BufferId {
    return this.store.view(id, offset, length);
  }

  write(id: BufferId, values: Float32Array | Int32Array): void {
    this.store.set(id, this.tf.tensor1d(values, this.store.dtype(id)));
  }

  read(id: BufferId, length: number, dtype: BufferDType): Float32Array | Int32Array {
    if (!this.#readsSynchronously) {
      throw new Error(
        `Backend '${this.name}' does not read values back synchronously: tfjs' WebGPU read throws in Node and gives wrong values in headless browsers. ` +
          `Use the async forms, e.g. \`await tensor.data()\` or \`await tensor.array()\` on what predict or getWeights returns.`,
      );
    }
    // Reads run wherever tfjs is now: moving weights off this backend must work after a switch.
    const data = this.tf.tidy(() => this.store.get(id).dataSync());
    const values = data.length === length ? data : data.slice(0, length);
    return dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  }

  async readAsync(id: BufferId, length: number, dtype: BufferDType): Promise<Float32Array | Int32Array> {
    const tensor = this.tf.tidy(() => this.tf.keep(this.tf.clone(this.store.get(id))));
    const data = await tensor.data();
    tensor.dispose();
    const values = data.length === length ? data : data.slice(0, length);
    return dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  }

  gatherRows(dst: BufferId, src: Float32Array | Int32Array, indices: Int32Array, start: number, count: number, rowLength: number, checkFinite = false): number {
    const host = src instanceof Int32Array ? new Int32Array(count * rowLength) : new Float32Array(count * rowLength);
    for (let i = 0; i < count; i++) {
      const row = indices[start + i] * rowLength;
      host.set(src.subarray(row, row + rowLength), i * rowLength);
    }
    this.store.set(dst, this.tf.tensor1d(host, this.store.dtype(dst)));
    return checkFinite ? firstNonFiniteRow(src, indices, start, count, rowLength) : -1;
  }

  fill(id: BufferId, length: number, value: number): void {
    this.store.set(id, this.tf.fill([length], value, this.store.dtype(id)));
  }

  memoryBytes(): number {
    return this.tf.memory().numBytes;
  }

  matMul(a: BufferId, b: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    this.run(() => {
      const left = transA ? this.matrix(a, k, m) : this.matrix(a, m, k);
      const right = transB ? this.matrix(b, n, k) : this.matrix(b, k, n);
      const product = this.tf.matMul(left, right, transA, transB);
      this.store.set(c, accumulate ? this.tf.add(this.matrix(c, m, n), product) : product);
    });
  }

  batchMatMul(a: BufferId, b: BufferId, c: BufferId, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    this.run(() => {
      const product = batchMatMulTensor(this.tf, this.store.get(a), this.store.get(b), batch, m, n, k, transA, transB);
      this.store.set(c, accumulate ? this.tf.add(this.store.get(c), product) : product);
    });
  }

  matMulBiasActivation(a: BufferId, b: BufferId, bias: BufferId, c: BufferId, m: number, n: number, k: number, activation: FusableActivation): void {
    const tf = this.tf;
    this.run(() => {
      const fused = fusedMatMulActivation(activation);
      const product = tf.fused.matMul({
        a: this.matrix(a, m, k), b: this.matrix(b, k, n), bias: bias ? this.store.get(bias) : undefined, activation: fused,
      });
      this.store.set(c, fused === activation ? product : activate(tf, activation, product));
    });
  }

  biasAdd(x: BufferId, bias: BufferId, rows: number, cols: number): void {
    this.run(() => this.store.set(x, this.tf.add(this.matrix(x, rows, cols), this.store.get(bias))));
  }

  columnSum(x: BufferId, out: BufferId, rows: number, cols: number, accumulate: boolean): void {
    this.run(() => {
      const sum = this.tf.sum(this.matrix(x, rows, cols), 0);
      this.store.set(out, accumulate ? this.tf.add(this.store.get(out), sum) : sum);
    });
  }

  activation(kind: ActivationKind, x: BufferId, y: BufferId, rows: number, cols: number): void {
    this.run(() => this.store.set(y, activate(this.tf, kind, this.matrix(x, rows, cols))));
  }

  activationGrad(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, rows: number, cols: number): void {
    this.run(() => this.store.set(dx, this.#activationGradTensor(kind, y, dy, rows, cols)));
  }

  activationGradBias(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number, accumulate: boolean): void {
    const tf = this.tf;
    this.run(() => {
      const grad = this.#activationGradTensor(kind, y, dy, rows, cols);
      const sum = tf.sum(grad, 0);
      this.store.set(dBias, accumulate ? tf.add(this.store.get(dBias), sum) : sum);
      this.store.set(dx, grad);
    });
  }

  inputActivation(kind: InputActivationKind, x: BufferId, y: BufferId, n: number): void {
    this.run(() => this.store.set(y, activateFromInput(this.tf, kind, this.matrix(x, 1, n))));
  }

  inputActivationGrad(kind: InputActivationKind, x: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number): void {
    this.run(() => {
      const grad = activationGradFromInput(this.tf, kind, this.matrix(x, rows, cols), this.matrix(dy, rows, cols));
      if (dBias) this.store.set(dBias, this.tf.sum(grad, 0));
      this.store.set(dx, grad);
    });
  }

  parametricActivation(f: ParametricActivation, x: BufferId, y: BufferId, n: number): void {
    this.run(() => this.store.set(y, parametricActivate(this.tf, f, this.matrix(x, 1, n))));
  }

  parametricActivationGrad(f: ParametricActivation, x: BufferId, dy: BufferId, dx: BufferId, n: number): void {
    this.run(() => this.store.set(dx, parametricActivationGrad(this.tf, f, this.matrix(x, 1, n), this.matrix(dy, 1, n))));
  }

  prelu(x: BufferId, alpha: BufferId, y: BufferId, g: PreluGeometry): void {
    this.run(() => this.store.set(y, preluTensor(this.tf, this.store.get(x), this.store.get(alpha), g)));
  }

  preluGrad(x: BufferId, alpha: BufferId, dy: BufferId, dx: BufferId, dAlpha: BufferId, g: PreluGeometry): void {
    this.run(() => {
      const grads = preluGradTensors(this.tf, this.store.get(x), this.store.get(alpha), this.store.get(dy), g);
      if (dAlpha) this.store.set(dAlpha, grads.dAlpha());
      if (dx) this.store.set(dx, grads.dx());
    });
  }

  /** dy · f'(x) from the forward output y, as a [rows, cols] tensor. */
  #activationGradTensor(kind: ActivationKind, y: BufferId, dy: BufferId, rows: number, cols: number): tfc.Tensor {
    return activationGradFromOutput(this.tf, kind, this.matrix(y, rows, cols), this.matrix(dy, rows, cols));
  }

  /** Targets as dense rows: one-hot of int labels, or the target rows themselves. */
  #denseTargets(targets: BufferId, sparse: boolean, rows: number, cols: number): tfc.Tensor2D {
    return sparse ? (this.tf.cast(this.tf.oneHot(this.tf.cast(this.store.get(targets), "int32"), cols), "float32") as tfc.Tensor2D) : this.matrix(targets, rows, cols);
  }

  /** Runs `fn` in a tidy scope and reads the scalar it returns without blocking the device queue. */
  async #scalar(fn: () => tfc.Tensor): Promise<number> {
    const result = this.tf.tidy(fn);
    const [value] = await result.data();
    result.dispose();
    return value;
  }

  /** {@link #scalar} for the kernels TfjsBackend adds. */
  protected readScalar(fn: () => tfc.Tensor): Promise<number> {
    return this.#scalar(fn);
  }

  /** A weight or mask buffer as a tensor, or null for none (0). */
  #weights(id: BufferId | undefined): tfc.Tensor | null {
    return id ? this.store.get(id) : null;
  }

  softmaxCrossEntropy(logits: BufferId, targets: BufferId, sparse: boolean, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const p = tf.softmax(this.matrix(logits, rows, cols));
      const t = this.#denseTargets(targets, sparse, rows, cols);
      const loss = tf.neg(weightedSum(tf, tf.mul(t, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), w, cols));
      if (grad) this.store.set(grad, weighted(tf, tf.mul(tf.sub(tf.mul(p, tf.sum(t, 1, true)), t), gradScale), w, cols));
      this.store.set(probs, p);
      return loss;
    });
  }

  categoricalCrossEntropy(p: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const [loss, dLoss] = crossEntropyTerms(tf, this.matrix(p, rows, cols), this.#denseTargets(targets, sparse, rows, cols), w);
      if (grad) this.store.set(grad, weighted(tf, tf.mul(dLoss, gradScale), w, cols));
      return weightedSum(tf, loss, w, 1);
    });
  }

  binaryCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, _n: number, gradScale: number, weights?: BufferId, repeat = 1, labelSmoothing = 0): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const c = tf.clipByValue(this.store.get(p), EPSILON, 1 - EPSILON);
      // Smoothed here, not in the stored targets, which the metrics read as given.
      const t = labelSmoothing ? tf.add(tf.mul(this.store.get(targets), 1 - labelSmoothing), 0.5 * labelSmoothing) : this.store.get(targets);
      if (grad) this.store.set(grad, weighted(tf, tf.mul(tf.div(tf.sub(c, t), tf.mul(c, tf.sub(1, c))), gradScale), w, repeat));
      const terms = tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c))));
      return tf.neg(weightedSum(tf, terms, w, repeat));
    });
  }

  meanSquaredError(p: BufferId, targets: BufferId, grad: BufferId, _n: number, gradScale: number, weights?: BufferId, repeat = 1): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const diff = tf.sub(this.store.get(p), this.store.get(targets));
      if (grad) this.store.set(grad, weighted(tf, tf.mul(diff, 2 * gradScale), w, repeat));
      return weightedSum(tf, tf.square(diff), w, repeat);
    });
  }

  elementwiseLoss(kind: ElementwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, param: number, weights?: BufferId, repeat = 1): Promise<number> {
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const [loss, dLoss] = elementwiseLossTerms(this.tf, kind, this.store.get(this.prefix(p, n)), this.store.get(this.prefix(targets, n)), param);
      if (grad) this.store.set(this.prefix(grad, n), weighted(this.tf, this.tf.mul(dLoss, gradScale), w, repeat));
      return weightedSum(this.tf, loss, w, repeat);
    });
  }

  rowwiseLoss(kind: RowwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number, weights?: BufferId): Promise<number> {
    return this.#scalar(() => {
      const w = this.#weights(weights);
      const [loss, dLoss] = rowwiseLossTerms(this.tf, kind, this.matrix(p, rows, cols), this.matrix(targets, rows, cols));
      if (grad) this.store.set(grad, this.tf.reshape(weighted(this.tf, this.tf.mul(dLoss, gradScale), w, cols), [rows * cols]));
      return weightedSum(this.tf, loss, w, 1);
    });
  }

  countArgmaxMatches(p: BufferId, targets: BufferId, sparse: boolean, rows: number, cols: number, weights?: BufferId): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const predicted = tf.argMax(this.matrix(p, rows, cols), 1);
      const truth = sparse ? this.store.get(targets) : tf.argMax(this.matrix(targets, rows, cols), 1);
      return weightedSum(tf, tf.cast(tf.equal(predicted, tf.cast(truth, 'int32')), 'float32'), this.#weights(weights), 1);
    });
  }

  countBinaryMatches(p: BufferId, targets: BufferId, _n: number, threshold: number, weights?: BufferId, repeat = 1): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const predicted = tf.cast(tf.greater(this.store.get(p), threshold), 'float32');
      return weightedSum(tf, tf.cast(tf.equal(this.store.get(targets), predicted), 'float32'), this.#weights(weights), repeat);
    });
  }

  /** Runs one optimizer update over the trainable prefix: `fn` gets [params, grads, ...state] and returns the new values. */
  #update(allParams: BufferId, allGrads: BufferId, state: BufferId[], n: number, fn: (p: tfc.Tensor, g: tfc.Tensor, ...s: tfc.Tensor[]) => tfc.Tensor[]): void {
    const ids = [this.prefix(allParams, n), ...state];
    this.run(() => {
      const next = fn(this.store.get(ids[0]), this.store.get(this.prefix(allGrads, n)), ...state.map((id) => this.store.get(id)));
      next.forEach((t, i) => this.store.set(ids[i], t));
    });
  }

  adamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#update(params, grads, [m, v], n, (p, g, m0, v0) => adamTensors(this.tf, p, g, m0, v0, null, lrT, beta1, beta2, epsilon));
  }

  sgdUpdate(params: BufferId, grads: BufferId, velocity: BufferId, n: number, lr: number, momentum: number, nesterov: boolean): void {
    this.#update(params, grads, momentum === 0 ? [] : [velocity], n, (p, g, v0) => sgdTensors(this.tf, p, g, v0 ?? null, lr, momentum, nesterov));
  }

  amsgradUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, vHat: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#update(params, grads, [m, v, vHat], n, (p, g, m0, v0, h0) => adamTensors(this.tf, p, g, m0, v0, h0, lrT, beta1, beta2, epsilon));
  }

  nadamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void {
    this.#update(params, grads, [m, v], n, (p, g, m0, v0) => nadamTensors(this.tf, p, g, m0, v0, lr, beta1, beta2, epsilon, mCoef, gCoef, vScale));
  }

  adamaxUpdate(params: BufferId, grads: BufferId, m: BufferId, u: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    this.#update(params, grads, [m, u], n, (p, g, m0, u0) => adamaxTensors(this.tf, p, g, m0, u0, lrT, beta1, beta2, epsilon));
  }

  adagradUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, n: number, lr: number, epsilon: number): void {
    this.#update(params, grads, [accumulator], n, (p, g, a0) => adagradTensors(this.tf, p, g, a0, lr, epsilon));
  }

  rmspropUpdate(params: BufferId, grads: BufferId, velocity: BufferId, avgGrad: BufferId, momentumBuffer: BufferId, n: number, lr: number, rho: number, momentum: number, epsilon: number): void {
    const state = [velocity, ...(avgGrad ? [avgGrad] : []), ...(momentumBuffer ? [momentumBuffer] : [])];
    this.#update(params, grads, state, n, (p, g, s0, ...rest) => rmspropTensors(this.tf, p, g, s0, avgGrad ? rest[0] : null, momentumBuffer ? rest[rest.length - 1] : null, lr, rho, momentum, epsilon));
  }

  adadeltaUpdate(params: BufferId, grads: BufferId, accumGrad: BufferId, accumDelta: BufferId, n: number, lr: number, rho: number, epsilon: number): void {
    this.#update(params, grads, [accumGrad, accumDelta], n, (p, g, a0, d0) => adadeltaTensors(this.tf, p, g, a0, d0, lr, rho, epsilon));
  }

  lionUpdate(params: BufferId, grads: BufferId, m: BufferId, n: number, lr: number, beta1: number, beta2: number): void {
    this.#update(params, grads, [m], n, (p, g, m0) => lionTensors(this.tf, p, g, m0, lr, beta1, beta2));
  }

  ftrlUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, linear: BufferId, n: number, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): void {
    this.#update(params, grads, [accumulator, linear], n, (p, g, a0, l0) => ftrlTensors(this.tf, p, g, a0, l0, lr, power, l1, l2, l2Shrinkage));
  }

  lambUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number): void {
    this.#update(params, grads, [m, v], n, (p, g, m0, v0) => lambTensors(this.tf, p, g, m0, v0, lr, beta1, beta2, epsilon, bias1, bias2));
  }

  adafactorUpdate(params: BufferId, grads: BufferId, r: BufferId, c: BufferId, v: BufferId, batches: number, rows: number, cols: number, factored: boolean, rho: number, beta: number, epsilon1: number, epsilon2: number, clipThreshold: number): void {
    const state = factored ? [r, c, v] : [v];
    this.#update(params, grads, state, batches * rows * cols, (p, g, ...s) =>
      adafactorTensors(this.tf, p, g, s, factored ? { batches, rows, cols } : null, rho, beta, epsilon1, epsilon2, clipThreshold));
  }

  clipByNorm(x: BufferId, n: number, maxNorm: number): void {
    const tf = this.tf;
    const id = this.prefix(x, n);
    this.run(() => {
      const values = this.store.get(id);
      const norm = tf.sqrt(tf.sum(tf.square(values)));
      this.store.set(id, tf.mul(values, tf.div(maxNorm, tf.maximum(norm, maxNorm))));
    });
  }

  regularize(weights: BufferId, grad: BufferId, _n: number, l1: number, l2: number): Promise<number> {
    const tf = this.tf;
    return this.#scalar(() => {
      const w = this.store.get(weights);
      if (grad) this.store.set(grad, tf.add(this.store.get(grad), tf.add(tf.mul(tf.sign(w), l1), tf.mul(w, 2 * l2))));
      return tf.add(tf.mul(tf.sum(tf.abs(w)), l1), tf.mul(tf.sum(tf.square(w)), l2));
    });
  }

  normConstraint(weights: BufferId, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void {
    const tf = this.tf;
    this.run(() => {
      const w = tf.reshape(this.store.get(weights), [outer, reduce, inner]);
      const norms = tf.sqrt(tf.sum(tf.square(w), 1, true));
      const desired = tf.add(tf.mul(tf.clipByValue(norms, lo, hi), rate), tf.mul(norms, 1 - rate));
      this.store.set(weights, tf.reshape(tf.mul(w, tf.div(desired, tf.add(norms, 1e-7))), [outer * reduce * inner]));
    });
  }

  clipByValue(x: BufferId, n: number, lo: number, hi: number): void {
    const id = this.prefix(x, n);
    this.run(() => this.store.set(id, this.tf.clipByValue(this.store.get(id), lo, hi)));
  }

  scale(x: BufferId, n: number, factor: number): void {
    const id = this.prefix(x, n);
    this.run(() => this.store.set(id, this.tf.mul(this.store.get(id), factor)));
  }

  add(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.run(() => this.store.set(this.prefix(out, n), this.tf.add(this.store.get(this.prefix(a, n)), this.store.get(this.prefix(b, n)))));
  }

  mul(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.run(() => this.store.set(this.prefix(out, n), this.tf.mul(this.store.get(this.prefix(a, n)), this.store.get(this.prefix(b, n)))));
  }

  log(a: BufferId, out: BufferId, n: number): void {
    this.run(() => this.store.set(this.prefix(out, n), this.tf.log(this.store.get(this.prefix(a, n)))));
  }

  atan2(y: BufferId, x: BufferId, out: BufferId, n: number): void {
    this.run(() => this.store.set(this.prefix(out, n), this.tf.atan2(this.store.get(this.prefix(y, n)), this.store.get(this.prefix(x, n)))));
  }

  copy(src: BufferId, dst: BufferId, n: number): void {
    this.run(() => this.store.set(this.prefix(dst, n), this.tf.clone(this.store.get(this.prefix(src, n)))));
  }

  copyRows(src: BufferId, srcStride: number, dst: BufferId, dstStride: number, rows: number, cols: number): void {
    if (rows === 0 || cols === 0) return;
    const tf = this.tf;
    // Strided ranges may run past a view's length, so address the spans of the root buffers they cover.
    const span = (id: BufferId, stride: number) => {
      const { root, offset } = this.store.locate(id);
      return this.store.view(root, offset, (rows - 1) * stride + cols);
    };
    const positions = (stride: number) => {
      const index = new Int32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) index[r * cols + c] = r * stride + c;
      return index;
    };
    const [from, to] = [span(src, srcStride), span(dst, dstStride)];
    this.run(() => {
      const values = tf.gather(this.store.get(from), tf.tensor1d(positions(srcStride), 'int32'));
      const indices = tf.tensor2d(positions(dstStride), [rows * cols, 1], 'int32');
      this.store.set(to, tf.tensorScatterUpdate(this.store.get(to), indices, values));
    });
  }

  im2col(x: BufferId, cols: BufferId, g: WindowGeometry): void {
    this.run(() => this.store.set(cols, this.windows.windows(this.store.get(x), g, 0)));
  }

  col2im(cols: BufferId, dx: BufferId, g: WindowGeometry): void {
    this.run(() => this.store.set(dx, this.windows.scatterAdd(this.store.get(cols), g)));
  }

  maxPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    this.run(() => this.store.set(y, this.tf.max(this.windows.windows(this.store.get(x), g, -Infinity), 1)));
  }

  maxPoolGrad(x: BufferId, _y: BufferId, dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    const tf = this.tf;
    this.run(() => {
      const windows = this.windows.windows(this.store.get(x), g, -Infinity);
      const [[rows, size], channels] = [windowRows(g), g.channels];
      // The first maximum of each window and channel gets the whole gradient. argMax alone may pick
      // any of several equal maxima on parallel devices, so rank the maxima by position first.
      const isMax = tf.cast(tf.equal(windows, tf.max(windows, 1, true)), 'float32');
      const first = tf.cast(tf.argMax(tf.mul(isMax, tf.reshape(tf.range(size, 0, -1), [1, size, 1])), 1), 'int32');
      // Entry (row, first, c) of the window index, flattened: (row·size + first)·channels + c.
      const rowBase = tf.reshape(tf.mul(tf.range(0, rows, 1, 'int32'), size * channels), [rows, 1]);
      const at = tf.add(tf.add(rowBase, tf.mul(first, channels)), tf.range(0, channels, 1, 'int32'));
      const chosen = tf.gather(this.windows.indices(g), tf.cast(tf.reshape(at, [-1]), 'int32'));
      this.store.set(dx, this.windows.scatterAdd(this.store.get(dy), g, chosen as tfc.Tensor1D));
    });
  }

  avgPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    const tf = this.tf;
    this.run(() => {
      const sums = tf.sum(this.windows.windows(this.store.get(x), g, 0), 1);
      this.store.set(y, tf.div(sums, this.#insideCounts(g)));
    });
  }

  avgPoolGrad(dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    const tf = this.tf;
    this.run(() => {
      const [rows, taps] = windowRows(g);
      const share = tf.div(tf.reshape(this.store.get(dy), [rows, 1, g.channels]), tf.expandDims(this.#insideCounts(g), 1));
      this.store.set(dx, this.windows.scatterAdd(tf.tile(share, [1, taps, 1]), g));
    });
  }

  /** How many window positions fall inside the input, per output row and channel. */
  #insideCounts(g: WindowGeometry): tfc.Tensor {
    const tf = this.tf;
    const ones = tf.ones([g.batch * depthAxis(g)[0] * g.inH * g.inW * g.channels]) as tfc.Tensor1D;
    return tf.sum(this.windows.windows(ones, g, 0), 1);
  }

  /** The buffer's tensor, or null for the id 0 ("absent"). */
  protected optional(id: BufferId): tfc.Tensor | null {
    return id ? this.store.get(id) : null;
  }
}
