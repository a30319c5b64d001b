import type * as tfc from '@tensorflow/tfjs-core';
import type { ActivationKind, InputActivationKind, Backend, FusableActivation, BufferDType, BufferId, ElementwiseLossKind, ParametricActivation, PreluGeometry, RowwiseLossKind, WindowGeometry } from '../backend.js';
import { firstNonFiniteRow } from '../non_finite.js';
import { activate, activationGradFromOutput, fusedMatMulActivation } from './activation_ops.js';
import { activateFromInput, activationGradFromInput } from './input_activation_ops.js';
import { BufferStore } from './buffer_store.js';
import { parametricActivate, parametricActivationGrad, preluGradTensors, preluTensor } from './parametric_activation_ops.js';
import { elementwiseLossTerms } from './elementwise_losses.js';
import { batchNormGradTensors, batchNormInferTensor, batchNormTrainTensors } from './batch_norm_ops.js';
import { batchMatMulTensor } from './batch_matmul_ops.js';
import { layerNormBackwardTensors, layerNormForwardTensors } from './layer_norm_ops.js';
import { dropoutMaskValues, WindowIndex } from './window_ops.js';
import { normalNoiseValues, routeToFirstMatchTensors } from './shape_ops.js';
import { rowwiseLossTerms } from './rowwise_losses.js';
import { scatterRows, tableRows } from './embedding_ops.js';
import { maskFromValuesTensor, maskedMeanStepsGradTensor, maskedMeanStepsTensor, maskSelectRowsGradTensors, maskSelectRowsTensor } from './mask_ops.js';
import { gruGatesBackwardTensors, gruGatesForwardTensors, gruOutputBackwardTensors, gruOutputForwardTensors, gruResetAfterBackwardTensors, gruResetAfterForwardTensors, lstmCellBackwardTensors, lstmCellForwardTensors } from './recurrent_ops.js';

type Tf = typeof tfc;

const EPSILON = 1e-7;

/**
 * kerasm's Backend on TensorFlow.js: every kernel is a few tfjs ops on whatever tfjs backend is
 * active (webgl, webgpu, wasm, cpu, node), and buffers stay on that device between steps.
 */
export class TfjsBackend implements Backend {
  readonly name: string;
  readonly kernels: string;
  readonly hostResident = false;
  readonly #tf: Tf;
  readonly #store: BufferStore;
  readonly #windows: WindowIndex;
  /**
   * tfjs-webgpu's synchronous read is refused: it throws in Node (Dawn has no OffscreenCanvas), and
   * in headless Chromium it returned zeros for weights trained there and left later buffer maps
   * failing ("A valid external Instance reference no longer exists"). An error beats wrong numbers.
   */
  readonly #readsSynchronously: boolean;

  constructor(tf: Tf, name: string) {
    this.#tf = tf;
    this.name = name;
    this.kernels = `tfjs-${tf.getBackend()}`;
    this.#store = new BufferStore(tf);
    this.#windows = new WindowIndex(tf);
    this.#readsSynchronously = tf.getBackend() !== 'webgpu';
  }

  /** Runs `fn` in a tidy scope: intermediates are freed, and `set` keeps what it stores. */
  #run<T>(fn: () => T): T {
    return this.#tf.tidy(fn as () => never) as T;
  }

  /** The first n elements of a buffer (optimizers sweep only the trainable prefix). */
  #prefix(id: BufferId, n: number): BufferId {
    return this.#store.length(id) === n ? id : this.#store.view(id, 0, n);
  }


  #matrix(id: BufferId, rows: number, cols: number): tfc.Tensor2D {
    return this.#tf.reshape(this.#store.get(id), [rows, cols]);
  }

  alloc(length: number, dtype: BufferDType): BufferId {
    return this.#store.alloc(length, dtype);
  }

  free(id: BufferId): void {
    this.#store.free(id);
  }

  view(id: BufferId, offset: number, length: number): BufferId {
    return this.#store.view(id, offset, length);
  }

  write(id: BufferId, values: Float32Array | Int32Array): void {
    this.#store.set(id, this.#tf.tensor1d(values, this.#store.dtype(id)));
  }

  read(id: BufferId, length: number, dtype: BufferDType): Float32Array | Int32Array {
    if (!this.#readsSynchronously) {
      throw new Error(
        `Backend '${this.name}' does not read values back synchronously: tfjs' WebGPU read throws in Node and gives wrong values in headless browsers. ` +
          `Use the async forms, e.g. \`await tensor.data()\` or \`await tensor.array()\` on what predict or getWeights returns.`,
      );
    }
    const data = this.#run(() => this.#store.get(id).dataSync());
    const values = data.length === length ? data : data.slice(0, length);
    return dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  }

  async readAsync(id: BufferId, length: number, dtype: BufferDType): Promise<Float32Array | Int32Array> {
    const tensor = this.#run(() => this.#tf.keep(this.#tf.clone(this.#store.get(id))));
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
    this.#store.set(dst, this.#tf.tensor1d(host, this.#store.dtype(dst)));
    return checkFinite ? firstNonFiniteRow(src, indices, start, count, rowLength) : -1;
  }

  fill(id: BufferId, length: number, value: number): void {
    this.#store.set(id, this.#tf.fill([length], value, this.#store.dtype(id)));
  }

  memoryBytes(): number {
    return this.#tf.memory().numBytes;
  }

  matMul(a: BufferId, b: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    this.#run(() => {
      const left = transA ? this.#matrix(a, k, m) : this.#matrix(a, m, k);
      const right = transB ? this.#matrix(b, n, k) : this.#matrix(b, k, n);
      const product = this.#tf.matMul(left, right, transA, transB);
      this.#store.set(c, accumulate ? this.#tf.add(this.#matrix(c, m, n), product) : product);
    });
  }

  batchMatMul(a: BufferId, b: BufferId, c: BufferId, batch: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
    this.#run(() => {
      const product = batchMatMulTensor(this.#tf, this.#store.get(a), this.#store.get(b), batch, m, n, k, transA, transB);
      this.#store.set(c, accumulate ? this.#tf.add(this.#store.get(c), product) : product);
    });
  }

  matMulBiasActivation(a: BufferId, b: BufferId, bias: BufferId, c: BufferId, m: number, n: number, k: number, activation: FusableActivation): void {
    const tf = this.#tf;
    this.#run(() => {
      const fused = fusedMatMulActivation(activation);
      const product = tf.fused.matMul({
        a: this.#matrix(a, m, k), b: this.#matrix(b, k, n), bias: bias ? this.#store.get(bias) : undefined, activation: fused,
      });
      this.#store.set(c, fused === activation ? product : activate(tf, activation, product));
    });
  }

  biasAdd(x: BufferId, bias: BufferId, rows: number, cols: number): void {
    this.#run(() => this.#store.set(x, this.#tf.add(this.#matrix(x, rows, cols), this.#store.get(bias))));
  }

  columnSum(x: BufferId, out: BufferId, rows: number, cols: number, accumulate: boolean): void {
    this.#run(() => {
      const sum = this.#tf.sum(this.#matrix(x, rows, cols), 0);
      this.#store.set(out, accumulate ? this.#tf.add(this.#store.get(out), sum) : sum);
    });
  }

  activation(kind: ActivationKind, x: BufferId, y: BufferId, rows: number, cols: number): void {
    this.#run(() => this.#store.set(y, activate(this.#tf, kind, this.#matrix(x, rows, cols))));
  }

  activationGrad(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, rows: number, cols: number): void {
    this.#run(() => this.#store.set(dx, this.#activationGradTensor(kind, y, dy, rows, cols)));
  }

  activationGradBias(kind: ActivationKind, y: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number, accumulate: boolean): void {
    const tf = this.#tf;
    this.#run(() => {
      const grad = this.#activationGradTensor(kind, y, dy, rows, cols);
      const sum = tf.sum(grad, 0);
      this.#store.set(dBias, accumulate ? tf.add(this.#store.get(dBias), sum) : sum);
      this.#store.set(dx, grad);
    });
  }

  inputActivation(kind: InputActivationKind, x: BufferId, y: BufferId, n: number): void {
    this.#run(() => this.#store.set(y, activateFromInput(this.#tf, kind, this.#matrix(x, 1, n))));
  }

  inputActivationGrad(kind: InputActivationKind, x: BufferId, dy: BufferId, dx: BufferId, dBias: BufferId, rows: number, cols: number): void {
    this.#run(() => {
      const grad = activationGradFromInput(this.#tf, kind, this.#matrix(x, rows, cols), this.#matrix(dy, rows, cols));
      if (dBias) this.#store.set(dBias, this.#tf.sum(grad, 0));
      this.#store.set(dx, grad);
    });
  }

  parametricActivation(f: ParametricActivation, x: BufferId, y: BufferId, n: number): void {
    this.#run(() => this.#store.set(y, parametricActivate(this.#tf, f, this.#matrix(x, 1, n))));
  }

  parametricActivationGrad(f: ParametricActivation, x: BufferId, dy: BufferId, dx: BufferId, n: number): void {
    this.#run(() => this.#store.set(dx, parametricActivationGrad(this.#tf, f, this.#matrix(x, 1, n), this.#matrix(dy, 1, n))));
  }

  prelu(x: BufferId, alpha: BufferId, y: BufferId, g: PreluGeometry): void {
    this.#run(() => this.#store.set(y, preluTensor(this.#tf, this.#store.get(x), this.#store.get(alpha), g)));
  }

  preluGrad(x: BufferId, alpha: BufferId, dy: BufferId, dx: BufferId, dAlpha: BufferId, g: PreluGeometry): void {
    this.#run(() => {
      const { dx: inputGrad, dAlpha: alphaGrad } = preluGradTensors(this.#tf, this.#store.get(x), this.#store.get(alpha), this.#store.get(dy), g);
      this.#store.set(dAlpha, alphaGrad);
      if (dx) this.#store.set(dx, inputGrad);
    });
  }

  /** dy · f'(x) from the forward output y, as a [rows, cols] tensor. */
  #activationGradTensor(kind: ActivationKind, y: BufferId, dy: BufferId, rows: number, cols: number): tfc.Tensor {
    return activationGradFromOutput(this.#tf, kind, this.#matrix(y, rows, cols), this.#matrix(dy, rows, cols));
  }

  /** Targets as dense rows: one-hot of int labels, or the target rows themselves. */
  #denseTargets(targets: BufferId, sparse: boolean, rows: number, cols: number): tfc.Tensor2D {
    return sparse ? (this.#tf.cast(this.#tf.oneHot(this.#tf.cast(this.#store.get(targets), "int32"), cols), "float32") as tfc.Tensor2D) : this.#matrix(targets, rows, cols);
  }

  /** Runs `fn` in a tidy scope and reads the scalar it returns without blocking the device queue. */
  async #scalar(fn: () => tfc.Tensor): Promise<number> {
    const result = this.#tf.tidy(fn);
    const [value] = await result.data();
    result.dispose();
    return value;
  }

  softmaxCrossEntropy(logits: BufferId, targets: BufferId, sparse: boolean, probs: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const p = tf.softmax(this.#matrix(logits, rows, cols));
      const t = this.#denseTargets(targets, sparse, rows, cols);
      const loss = tf.neg(tf.sum(tf.mul(t, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON)))));
      if (grad) this.#store.set(grad, tf.mul(tf.sub(tf.mul(p, tf.sum(t, 1, true)), t), gradScale));
      this.#store.set(probs, p);
      return loss;
    });
  }

  categoricalCrossEntropy(p: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, rows: number, cols: number, gradScale: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const clipped = tf.clipByValue(this.#matrix(p, rows, cols), EPSILON, 1 - EPSILON);
      const t = this.#denseTargets(targets, sparse, rows, cols);
      if (grad) this.#store.set(grad, tf.mul(tf.div(t, clipped), -gradScale));
      return tf.neg(tf.sum(tf.mul(t, tf.log(clipped))));
    });
  }

  binaryCrossEntropy(p: BufferId, targets: BufferId, grad: BufferId, _n: number, gradScale: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const c = tf.clipByValue(this.#store.get(p), EPSILON, 1 - EPSILON);
      const t = this.#store.get(targets);
      if (grad) this.#store.set(grad, tf.mul(tf.div(tf.sub(c, t), tf.mul(c, tf.sub(1, c))), gradScale));
      const terms = tf.add(tf.mul(t, tf.log(c)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, c))));
      return tf.neg(tf.sum(terms));
    });
  }

  meanSquaredError(p: BufferId, targets: BufferId, grad: BufferId, _n: number, gradScale: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const diff = tf.sub(this.#store.get(p), this.#store.get(targets));
      if (grad) this.#store.set(grad, tf.mul(diff, 2 * gradScale));
      return tf.sum(tf.square(diff));
    });
  }

  elementwiseLoss(kind: ElementwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, n: number, gradScale: number, param: number): Promise<number> {
    return this.#scalar(() => {
      const [loss, dLoss] = elementwiseLossTerms(this.#tf, kind, this.#store.get(this.#prefix(p, n)), this.#store.get(this.#prefix(targets, n)), param);
      if (grad) this.#store.set(this.#prefix(grad, n), this.#tf.mul(dLoss, gradScale));
      return this.#tf.sum(loss);
    });
  }

  rowwiseLoss(kind: RowwiseLossKind, p: BufferId, targets: BufferId, grad: BufferId, rows: number, cols: number, gradScale: number): Promise<number> {
    return this.#scalar(() => {
      const [loss, dLoss] = rowwiseLossTerms(this.#tf, kind, this.#matrix(p, rows, cols), this.#matrix(targets, rows, cols));
      if (grad) this.#store.set(grad, this.#tf.reshape(this.#tf.mul(dLoss, gradScale), [rows * cols]));
      return this.#tf.sum(loss);
    });
  }

  countArgmaxMatches(p: BufferId, targets: BufferId, sparse: boolean, rows: number, cols: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const predicted = tf.argMax(this.#matrix(p, rows, cols), 1);
      const truth = sparse ? this.#store.get(targets) : tf.argMax(this.#matrix(targets, rows, cols), 1);
      return tf.sum(tf.cast(tf.equal(predicted, tf.cast(truth, 'int32')), 'int32'));
    });
  }

  countBinaryMatches(p: BufferId, targets: BufferId, _n: number, threshold: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const predicted = tf.cast(tf.greater(this.#store.get(p), threshold), 'float32');
      return tf.sum(tf.cast(tf.equal(this.#store.get(targets), predicted), 'int32'));
    });
  }

  adamUpdate(allParams: BufferId, allGrads: BufferId, m: BufferId, v: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    const tf = this.#tf;
    const params = this.#prefix(allParams, n);
    const grads = this.#prefix(allGrads, n);
    this.#run(() => {
      const g = this.#store.get(grads);
      const nextM = tf.add(tf.mul(this.#store.get(m), beta1), tf.mul(g, 1 - beta1));
      const nextV = tf.add(tf.mul(this.#store.get(v), beta2), tf.mul(tf.square(g), 1 - beta2));
      const step = tf.div(tf.mul(nextM, lrT), tf.add(tf.sqrt(nextV), epsilon));
      this.#store.set(params, tf.sub(this.#store.get(params), step));
      this.#store.set(m, nextM);
      this.#store.set(v, nextV);
    });
  }

  sgdUpdate(allParams: BufferId, allGrads: BufferId, velocity: BufferId, n: number, lr: number, momentum: number, nesterov: boolean): void {
    const tf = this.#tf;
    const params = this.#prefix(allParams, n);
    const grads = this.#prefix(allGrads, n);
    this.#run(() => {
      const g = this.#store.get(grads);
      const p = this.#store.get(params);
      if (momentum === 0) {
        this.#store.set(params, tf.sub(p, tf.mul(g, lr)));
        return;
      }
      const nextV = tf.sub(tf.mul(this.#store.get(velocity), momentum), tf.mul(g, lr));
      const delta = nesterov ? tf.sub(tf.mul(nextV, momentum), tf.mul(g, lr)) : nextV;
      this.#store.set(params, tf.add(p, delta));
      this.#store.set(velocity, nextV);
    });
  }

  /** Runs one optimizer update over the trainable prefix: `fn` gets [params, grads, ...state] and returns the new values. */
  #update(allParams: BufferId, allGrads: BufferId, state: BufferId[], n: number, fn: (p: tfc.Tensor, g: tfc.Tensor, ...s: tfc.Tensor[]) => tfc.Tensor[]): void {
    const ids = [this.#prefix(allParams, n), ...state];
    this.#run(() => {
      const next = fn(this.#store.get(ids[0]), this.#store.get(this.#prefix(allGrads, n)), ...state.map((id) => this.#store.get(id)));
      next.forEach((t, i) => this.#store.set(ids[i], t));
    });
  }

  amsgradUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, vHat: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    const tf = this.#tf;
    this.#update(params, grads, [m, v, vHat], n, (p, g, m0, v0, h0) => {
      const m1 = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
      const h1 = tf.maximum(h0, v1);
      return [tf.sub(p, tf.div(tf.mul(m1, lrT), tf.add(tf.sqrt(h1), epsilon))), m1, v1, h1];
    });
  }

  nadamUpdate(params: BufferId, grads: BufferId, m: BufferId, v: BufferId, n: number, lr: number, beta1: number, beta2: number, epsilon: number, mCoef: number, gCoef: number, vScale: number): void {
    const tf = this.#tf;
    this.#update(params, grads, [m, v], n, (p, g, m0, v0) => {
      const m1 = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
      const mHat = tf.add(tf.mul(m1, mCoef), tf.mul(g, gCoef));
      return [tf.sub(p, tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(tf.mul(v1, vScale)), epsilon))), m1, v1];
    });
  }

  adamaxUpdate(params: BufferId, grads: BufferId, m: BufferId, u: BufferId, n: number, lrT: number, beta1: number, beta2: number, epsilon: number): void {
    const tf = this.#tf;
    this.#update(params, grads, [m, u], n, (p, g, m0, u0) => {
      const m1 = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
      const u1 = tf.maximum(tf.mul(u0, beta2), tf.abs(g));
      return [tf.sub(p, tf.div(tf.mul(m1, lrT), tf.add(u1, epsilon))), m1, u1];
    });
  }

  adagradUpdate(params: BufferId, grads: BufferId, accumulator: BufferId, n: number, lr: number, epsilon: number): void {
    const tf = this.#tf;
    this.#update(params, grads, [accumulator], n, (p, g, a0) => {
      const a1 = tf.add(a0, tf.square(g));
      return [tf.sub(p, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(a1, epsilon)))), a1];
    });
  }

  rmspropUpdate(params: BufferId, grads: BufferId, velocity: BufferId, avgGrad: BufferId, momentumBuffer: BufferId, n: number, lr: number, rho: number, momentum: number, epsilon: number): void {
    const tf = this.#tf;
    const state = [velocity, ...(avgGrad ? [avgGrad] : []), ...(momentumBuffer ? [momentumBuffer] : [])];
    this.#update(params, grads, state, n, (p, g, s0, ...rest) => {
      const s1 = tf.add(tf.mul(s0, rho), tf.mul(tf.square(g), 1 - rho));
      const out: tfc.Tensor[] = [s1];
      let denominator: tfc.Tensor = tf.add(s1, epsilon);
      let k = 0;
      if (avgGrad) {
        const a1 = tf.add(tf.mul(rest[k++], rho), tf.mul(g, 1 - rho));
        denominator = tf.sub(denominator, tf.square(a1));
        out.push(a1);
      }
      let increment: tfc.Tensor = tf.div(tf.mul(g, lr), tf.sqrt(denominator));
      if (momentumBuffer) {
        increment = tf.add(tf.mul(rest[k], momentum), increment);
        out.push(increment);
      }
      return [tf.sub(p, increment), ...out];
    });
  }

  clipByNorm(x: BufferId, n: number, maxNorm: number): void {
    const tf = this.#tf;
    const id = this.#prefix(x, n);
    this.#run(() => {
      const values = this.#store.get(id);
      const norm = tf.sqrt(tf.sum(tf.square(values)));
      this.#store.set(id, tf.mul(values, tf.div(maxNorm, tf.maximum(norm, maxNorm))));
    });
  }

  regularize(weights: BufferId, grad: BufferId, _n: number, l1: number, l2: number): Promise<number> {
    const tf = this.#tf;
    return this.#scalar(() => {
      const w = this.#store.get(weights);
      if (grad) this.#store.set(grad, tf.add(this.#store.get(grad), tf.add(tf.mul(tf.sign(w), l1), tf.mul(w, 2 * l2))));
      return tf.add(tf.mul(tf.sum(tf.abs(w)), l1), tf.mul(tf.sum(tf.square(w)), l2));
    });
  }

  normConstraint(weights: BufferId, outer: number, reduce: number, inner: number, lo: number, hi: number, rate: number): void {
    const tf = this.#tf;
    this.#run(() => {
      const w = tf.reshape(this.#store.get(weights), [outer, reduce, inner]);
      const norms = tf.sqrt(tf.sum(tf.square(w), 1, true));
      const desired = tf.add(tf.mul(tf.clipByValue(norms, lo, hi), rate), tf.mul(norms, 1 - rate));
      this.#store.set(weights, tf.reshape(tf.mul(w, tf.div(desired, tf.add(norms, 1e-7))), [outer * reduce * inner]));
    });
  }

  clipByValue(x: BufferId, n: number, lo: number, hi: number): void {
    const id = this.#prefix(x, n);
    this.#run(() => this.#store.set(id, this.#tf.clipByValue(this.#store.get(id), lo, hi)));
  }

  scale(x: BufferId, n: number, factor: number): void {
    const id = this.#prefix(x, n);
    this.#run(() => this.#store.set(id, this.#tf.mul(this.#store.get(id), factor)));
  }

  add(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#run(() => this.#store.set(this.#prefix(out, n), this.#tf.add(this.#store.get(this.#prefix(a, n)), this.#store.get(this.#prefix(b, n)))));
  }

  mul(a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#run(() => this.#store.set(this.#prefix(out, n), this.#tf.mul(this.#store.get(this.#prefix(a, n)), this.#store.get(this.#prefix(b, n)))));
  }

  copy(src: BufferId, dst: BufferId, n: number): void {
    this.#run(() => this.#store.set(this.#prefix(dst, n), this.#tf.clone(this.#store.get(this.#prefix(src, n)))));
  }

  copyRows(src: BufferId, srcStride: number, dst: BufferId, dstStride: number, rows: number, cols: number): void {
    const tf = this.#tf;
    // Strided ranges may run past a view's length, so address the root buffers directly.
    const from = this.#store.locate(src);
    const to = this.#store.locate(dst);
    const positions = (offset: number, stride: number) => {
      const index = new Int32Array(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) index[r * cols + c] = offset + r * stride + c;
      return index;
    };
    this.#run(() => {
      const values = tf.gather(this.#store.get(from.root), tf.tensor1d(positions(from.offset, srcStride), 'int32'));
      const indices = tf.tensor2d(positions(to.offset, dstStride), [rows * cols, 1], 'int32');
      this.#store.set(to.root, tf.tensorScatterUpdate(this.#store.get(to.root), indices, values));
    });
  }

  im2col(x: BufferId, cols: BufferId, g: WindowGeometry): void {
    this.#run(() => this.#store.set(cols, this.#windows.windows(this.#store.get(x), g, 0)));
  }

  col2im(cols: BufferId, dx: BufferId, g: WindowGeometry): void {
    this.#run(() => this.#store.set(dx, this.#windows.scatterAdd(this.#store.get(cols), g)));
  }

  maxPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    this.#run(() => this.#store.set(y, this.#tf.max(this.#windows.windows(this.#store.get(x), g, -Infinity), 1)));
  }

  maxPoolGrad(x: BufferId, _y: BufferId, dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    const tf = this.#tf;
    this.#run(() => {
      const windows = this.#windows.windows(this.#store.get(x), g, -Infinity);
      const [rows, size, channels] = [g.batch * g.outH * g.outW, g.kH * g.kW, g.channels];
      // The first maximum of each window and channel gets the whole gradient. argMax alone may pick
      // any of several equal maxima on parallel devices, so rank the maxima by position first.
      const isMax = tf.cast(tf.equal(windows, tf.max(windows, 1, true)), 'float32');
      const first = tf.cast(tf.argMax(tf.mul(isMax, tf.reshape(tf.range(size, 0, -1), [1, size, 1])), 1), 'int32');
      // Entry (row, first, c) of the window index, flattened: (row·size + first)·channels + c.
      const rowBase = tf.reshape(tf.mul(tf.range(0, rows, 1, 'int32'), size * channels), [rows, 1]);
      const at = tf.add(tf.add(rowBase, tf.mul(first, channels)), tf.range(0, channels, 1, 'int32'));
      const chosen = tf.gather(this.#windows.indices(g), tf.cast(tf.reshape(at, [-1]), 'int32'));
      this.#store.set(dx, this.#windows.scatterAdd(this.#store.get(dy), g, chosen as tfc.Tensor1D));
    });
  }


  avgPool(x: BufferId, y: BufferId, g: WindowGeometry): void {
    const tf = this.#tf;
    this.#run(() => {
      const sums = tf.sum(this.#windows.windows(this.#store.get(x), g, 0), 1);
      this.#store.set(y, tf.div(sums, this.#insideCounts(g)));
    });
  }

  avgPoolGrad(dy: BufferId, dx: BufferId, g: WindowGeometry): void {
    const tf = this.#tf;
    this.#run(() => {
      const share = tf.div(tf.reshape(this.#store.get(dy), [g.batch * g.outH * g.outW, 1, g.channels]), tf.expandDims(this.#insideCounts(g), 1));
      this.#store.set(dx, this.#windows.scatterAdd(tf.tile(share, [1, g.kH * g.kW, 1]), g));
    });
  }

  /** How many window positions fall inside the input, per output row and channel. */
  #insideCounts(g: WindowGeometry): tfc.Tensor {
    const tf = this.#tf;
    const ones = tf.ones([g.batch * g.inH * g.inW * g.channels]) as tfc.Tensor1D;
    return tf.sum(this.#windows.windows(ones, g, 0), 1);
  }

  transpose(x: BufferId, y: BufferId, dims: readonly number[], perm: readonly number[]): void {
    const n = dims.reduce((a, b) => a * b, 1);
    this.#run(() => this.#store.set(this.#prefix(y, n), this.#tf.reshape(this.#tf.transpose(this.#tf.reshape(this.#store.get(this.#prefix(x, n)), [...dims]), [...perm]), [n])));
  }

  minMax(takeMax: boolean, a: BufferId, b: BufferId, out: BufferId, n: number): void {
    this.#run(() => {
      const [ta, tb] = [this.#store.get(this.#prefix(a, n)), this.#store.get(this.#prefix(b, n))];
      this.#store.set(this.#prefix(out, n), takeMax ? this.#tf.maximum(ta, tb) : this.#tf.minimum(ta, tb));
    });
  }

  routeToFirstMatch(x: BufferId, y: BufferId, pending: BufferId, dx: BufferId, n: number): void {
    const [pid, dxid] = [this.#prefix(pending, n), this.#prefix(dx, n)];
    this.#run(() => {
      const routed = routeToFirstMatchTensors(this.#tf, this.#store.get(this.#prefix(x, n)), this.#store.get(this.#prefix(y, n)), this.#store.get(pid));
      this.#store.set(dxid, routed.dx);
      this.#store.set(pid, routed.pending);
    });
  }

  normalNoise(out: BufferId, n: number, mean: number, stddev: number, seed: number): void {
    this.#store.set(this.#prefix(out, n), this.#tf.tensor1d(normalNoiseValues(n, mean, stddev, seed)));
  }

  dropoutMask(mask: BufferId, n: number, rate: number, seed: number): void {
    this.#store.set(this.#prefix(mask, n), this.#tf.tensor1d(dropoutMaskValues(n, rate, seed)));
  }

  depthwiseForward(cols: BufferId, kernel: BufferId, out: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    const tf = this.#tf;
    this.#run(() => {
      const windows = tf.reshape(this.#store.get(cols), [rows, taps, channels, 1]);
      this.#store.set(out, tf.sum(tf.mul(windows, tf.reshape(this.#store.get(kernel), [taps, channels, multiplier])), 1));
    });
  }

  depthwiseBackward(cols: BufferId, kernel: BufferId, dy: BufferId, dCols: BufferId, dKernel: BufferId, rows: number, taps: number, channels: number, multiplier: number): void {
    const tf = this.#tf;
    this.#run(() => {
      const windows = tf.reshape(this.#store.get(cols), [rows, taps, channels, 1]);
      const grad = tf.reshape(this.#store.get(dy), [rows, 1, channels, multiplier]);
      const columnGrad = dCols ? tf.sum(tf.mul(grad, tf.reshape(this.#store.get(kernel), [taps, channels, multiplier])), 3) : null;
      this.#store.set(dKernel, tf.sum(tf.mul(windows, grad), 0));
      if (columnGrad) this.#store.set(dCols, columnGrad);
    });
  }

  embeddingForward(indices: BufferId, table: BufferId, out: BufferId, n: number, dim: number, inputDim: number): void {
    this.#run(() => this.#store.set(out, this.#tf.gather(this.#matrix(table, inputDim, dim), tableRows(this.#tf, this.#store.get(this.#prefix(indices, n)), inputDim))));
  }

  embeddingBackward(indices: BufferId, dy: BufferId, dTable: BufferId, n: number, dim: number, inputDim: number): void {
    this.#run(() => this.#store.set(dTable, scatterRows(this.#tf, this.#store.get(this.#prefix(indices, n)), this.#matrix(dy, n, dim), inputDim)));
  }

  batchNormTrain(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number, momentum: number): void {
    this.#run(() => {
      const out = batchNormTrainTensors(this.#tf, this.#matrix(x, rows, cols), this.#optional(gamma), this.#optional(beta), this.#store.get(movingMean), this.#store.get(movingVar), epsilon, momentum);
      this.#store.set(y, out.y);
      this.#store.set(mean, out.mean);
      this.#store.set(invStd, out.invStd);
      this.#store.set(movingMean, out.movingMean);
      this.#store.set(movingVar, out.movingVar);
    });
  }

  batchNormInfer(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, movingMean: BufferId, movingVar: BufferId, _invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.#run(() => this.#store.set(y, batchNormInferTensor(this.#tf, this.#matrix(x, rows, cols), this.#optional(gamma), this.#optional(beta), this.#store.get(movingMean), this.#store.get(movingVar), epsilon)));
  }

  batchNormGrad(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.#run(() => {
      const grads = batchNormGradTensors(this.#tf, this.#matrix(x, rows, cols), this.#matrix(dy, rows, cols), this.#optional(gamma), this.#store.get(mean), this.#store.get(invStd));
      if (dx) this.#store.set(dx, grads.dx);
      if (dGamma) this.#store.set(dGamma, grads.dGamma);
      if (dBeta) this.#store.set(dBeta, grads.dBeta);
    });
  }

  layerNormForward(x: BufferId, y: BufferId, gamma: BufferId, beta: BufferId, mean: BufferId, invStd: BufferId, rows: number, cols: number, epsilon: number): void {
    this.#run(() => {
      const out = layerNormForwardTensors(this.#tf, this.#matrix(x, rows, cols), this.#optional(gamma), this.#optional(beta), epsilon);
      this.#store.set(y, out.y);
      this.#store.set(mean, out.mean);
      this.#store.set(invStd, out.invStd);
    });
  }

  layerNormBackward(x: BufferId, dy: BufferId, dx: BufferId, gamma: BufferId, mean: BufferId, invStd: BufferId, dGamma: BufferId, dBeta: BufferId, rows: number, cols: number): void {
    this.#run(() => {
      const grads = layerNormBackwardTensors(this.#tf, this.#matrix(x, rows, cols), this.#matrix(dy, rows, cols), this.#optional(gamma), this.#matrix(mean, rows, 1), this.#matrix(invStd, rows, 1));
      if (dx) this.#store.set(dx, grads.dx);
      if (dGamma) this.#store.set(dGamma, grads.dGamma);
      if (dBeta) this.#store.set(dBeta, grads.dBeta);
    });
  }

  maskFromValues(x: BufferId, mask: BufferId, rows: number, width: number, value: number): void {
    this.#run(() => this.#store.set(mask, maskFromValuesTensor(this.#tf, this.#matrix(x, rows, width), value)));
  }

  maskSelectRows(mask: BufferId, x: BufferId, prev: BufferId, rows: number, width: number): void {
    this.#run(() => this.#store.set(x, maskSelectRowsTensor(this.#tf, this.#matrix(mask, rows, 1), this.#matrix(x, rows, width), prev ? this.#matrix(prev, rows, width) : null)));
  }

  maskSelectRowsGrad(mask: BufferId, dx: BufferId, dPrev: BufferId, rows: number, width: number): void {
    this.#run(() => {
      const out = maskSelectRowsGradTensors(this.#tf, this.#matrix(mask, rows, 1), this.#matrix(dx, rows, width), dPrev ? this.#matrix(dPrev, rows, width) : null);
      this.#store.set(dx, out.dx);
      if (out.dPrev) this.#store.set(dPrev, out.dPrev);
    });
  }

  maskedMeanSteps(x: BufferId, mask: BufferId, out: BufferId, batch: number, steps: number, channels: number): void {
    this.#run(() => this.#store.set(out, maskedMeanStepsTensor(this.#tf, this.#tf.reshape(this.#store.get(x), [batch, steps, channels]), this.#matrix(mask, batch, steps))));
  }

  maskedMeanStepsGrad(dy: BufferId, mask: BufferId, dx: BufferId, batch: number, steps: number, channels: number): void {
    this.#run(() => this.#store.set(dx, maskedMeanStepsGradTensor(this.#tf, this.#matrix(dy, batch, channels), this.#matrix(mask, batch, steps))));
  }

  lstmCellForward(z: BufferId, cPrev: BufferId, c: BufferId, ac: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const out = lstmCellForwardTensors(this.#tf, this.#matrix(z, rows, 4 * units), cPrev ? this.#matrix(cPrev, rows, units) : null, activation, recurrentActivation);
      this.#store.set(z, out.gates);
      this.#store.set(c, out.c);
      this.#store.set(ac, out.ac);
      this.#store.set(h, out.h);
    });
  }

  lstmCellBackward(z: BufferId, cPrev: BufferId, ac: BufferId, dh: BufferId, dc: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const m = (id: BufferId) => this.#matrix(id, rows, units);
      const out = lstmCellBackwardTensors(this.#tf, this.#matrix(z, rows, 4 * units), cPrev ? m(cPrev) : null, m(ac), m(dh), m(dc), activation, recurrentActivation);
      this.#store.set(z, out.dz);
      this.#store.set(dc, out.dcPrev);
    });
  }

  gruGatesForward(z: BufferId, p: BufferId, hPrev: BufferId, rh: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const out = gruGatesForwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), p ? this.#matrix(p, rows, 2 * units) : null, hPrev ? this.#matrix(hPrev, rows, units) : null, recurrentActivation);
      this.#store.set(z, out.z);
      this.#store.set(rh, out.rh);
    });
  }

  gruOutputForward(z: BufferId, q: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation): void {
    this.#run(() => {
      const m = (id: BufferId) => (id ? this.#matrix(id, rows, units) : null);
      const out = gruOutputForwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), m(q), m(hPrev), activation);
      this.#store.set(z, out.z);
      this.#store.set(h, out.h);
    });
  }

  gruOutputBackward(z: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, dHh: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const m = (id: BufferId) => this.#matrix(id, rows, units);
      const out = gruOutputBackwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), hPrev ? m(hPrev) : null, m(dh), activation, recurrentActivation);
      this.#store.set(z, out.z);
      this.#store.set(dHh, out.dHh);
      if (dhPrev) this.#store.set(dhPrev, this.#tf.add(m(dhPrev), out.dhPrevPart));
    });
  }

  gruGatesBackward(z: BufferId, hPrev: BufferId, dRh: BufferId, dhPrev: BufferId, s: BufferId, rows: number, units: number, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const m = (id: BufferId) => (id ? this.#matrix(id, rows, units) : null);
      const out = gruGatesBackwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), m(hPrev), m(dRh), recurrentActivation);
      this.#store.set(z, out.z);
      this.#store.set(s, out.s);
      if (dhPrev && out.dhPrevPart) this.#store.set(dhPrev, this.#tf.add(this.#matrix(dhPrev, rows, units), out.dhPrevPart));
    });
  }

  gruResetAfterForward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, h: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const out = gruResetAfterForwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), this.#matrix(inner, rows, 3 * units), this.#optional(recurrentBias), hPrev ? this.#matrix(hPrev, rows, units) : null, activation, recurrentActivation);
      this.#store.set(z, out.z);
      this.#store.set(h, out.h);
    });
  }

  gruResetAfterBackward(z: BufferId, inner: BufferId, recurrentBias: BufferId, hPrev: BufferId, dh: BufferId, dhPrev: BufferId, rows: number, units: number, activation: FusableActivation, recurrentActivation: FusableActivation): void {
    this.#run(() => {
      const m = (id: BufferId) => this.#matrix(id, rows, units);
      const out = gruResetAfterBackwardTensors(this.#tf, this.#matrix(z, rows, 3 * units), this.#matrix(inner, rows, 3 * units), this.#optional(recurrentBias), hPrev ? m(hPrev) : null, m(dh), activation, recurrentActivation);
      this.#store.set(z, out.dz);
      this.#store.set(inner, out.dInner);
      if (dhPrev) this.#store.set(dhPrev, this.#tf.add(m(dhPrev), out.dhPrevPart));
    });
  }

  /** The buffer's tensor, or null for the id 0 ("absent"). */
  #optional(id: BufferId): tfc.Tensor | null {
    return id ? this.#store.get(id) : null;
  }
}
