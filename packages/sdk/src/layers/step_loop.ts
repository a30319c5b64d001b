import type { Backend, BufferId } from '../backend/backend.js';
import type { BackwardContext, ForwardContext, Layer } from './layer.js';

/**
 * Runs a layer once per step of `[batch, steps, ...]` inputs, on the batch's samples at that step,
 * as tfjs' and Keras 3's TimeDistributed loop over the steps: for a layer whose training pass
 * couples the samples of its batch (BatchNormalization's batch statistics, a Dropout mask shared
 * across the batch), each step then has its own. The inputs are transposed to `[steps, batch, ...]`
 * so each step's rows are contiguous, and the outputs back.
 *
 * Its workspace, after the layer's own for `batch·steps` rows (which the one-pass path uses): one
 * workspace of the layer's for `batch` rows per step, the transposed input and output, their
 * gradients, and one scratch gradient per weight, since each step's backward pass overwrites them.
 */
export class StepLoop {
  readonly #layer: Layer;
  readonly #steps: number;
  /** Floats per sample and step of the input and of the output. */
  readonly #inputSize: number;
  readonly #outputSize: number;
  readonly #weightSizes: readonly number[];
  /** Where each weight's scratch gradient starts among the scratch gradients. */
  readonly #weightOffsets: readonly number[];

  constructor(layer: Layer, steps: number, inputSize: number, outputSize: number) {
    this.#layer = layer;
    this.#steps = steps;
    this.#inputSize = inputSize;
    this.#outputSize = outputSize;
    this.#weightSizes = layer.weightSpecs.map((spec) => spec.shape.reduce((a, b) => a * b, 1));
    this.#weightOffsets = this.#weightSizes.map((_, i) => this.#weightSizes.slice(0, i).reduce((a, b) => a + b, 0));
  }

  /** The workspace floats for `batch` samples, the one-pass path's included. */
  workspaceSize(batch: number): number {
    const rows = batch * this.#steps;
    const transposed = 2 * rows * (this.#inputSize + this.#outputSize);
    const weightGrads = this.#weightSizes.reduce((a, b) => a + b, 0);
    return this.#layer.workspaceSize(rows) + this.#steps * this.#layer.workspaceSize(batch) + transposed + weightGrads;
  }

  initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    const { onePass, step } = this.#regions(backend, workspace, batch);
    this.#layer.initWorkspace(backend, onePass, batch * this.#steps);
    for (let s = 0; s < this.#steps; s++) this.#layer.initWorkspace(backend, step(s), batch);
  }

  /** The part of the workspace the one-pass path gives the layer. */
  onePassWorkspace(backend: Backend, workspace: BufferId, batch: number): BufferId {
    return this.#regions(backend, workspace, batch).onePass;
  }

  forward(ctx: ForwardContext, batch: number): void {
    const { backend } = ctx;
    const r = this.#regions(backend, ctx.workspace, batch);
    backend.transpose(ctx.inputs[0], r.x, [batch, this.#steps, this.#inputSize], [1, 0, 2]);
    for (let s = 0; s < this.#steps; s++) {
      const output = r.stepOf(r.y, s, this.#outputSize);
      this.#layer.forward({ ...ctx, batch, inputs: [r.stepOf(r.x, s, this.#inputSize)], output, outputs: [output], workspace: r.step(s), inputMask: 0, inputMasks: [] });
    }
    backend.transpose(r.y, ctx.output, [this.#steps, batch, this.#outputSize], [1, 0, 2]);
  }

  backward(ctx: BackwardContext, batch: number): void {
    const { backend } = ctx;
    const r = this.#regions(backend, ctx.workspace, batch);
    backend.transpose(ctx.outputGrad, r.dy, [batch, this.#steps, this.#outputSize], [1, 0, 2]);
    const dx = ctx.inputGrads[0];
    for (let s = 0; s < this.#steps; s++) {
      const [output, outputGrad] = [r.stepOf(r.y, s, this.#outputSize), r.stepOf(r.dy, s, this.#outputSize)];
      // The first step writes the weight gradients; the others write scratch, added to them after.
      const weightGrads = s === 0 ? ctx.weightGrads : ctx.weightGrads.map((grad, i) => (grad ? r.weightGrad(i) : 0));
      this.#layer.backward({
        ...ctx, batch, inputs: [r.stepOf(r.x, s, this.#inputSize)], output, outputs: [output], workspace: r.step(s), inputMask: 0, inputMasks: [],
        outputGrad, outputGrads: [outputGrad], inputGrads: [dx ? r.stepOf(r.dx, s, this.#inputSize) : 0], weightGrads,
      });
      if (s > 0) ctx.weightGrads.forEach((grad, i) => grad && backend.add(grad, weightGrads[i], grad, this.#weightSizes[i]));
    }
    if (dx) backend.transpose(r.dx, dx, [this.#steps, batch, this.#inputSize], [1, 0, 2]);
  }

  #regions(backend: Backend, workspace: BufferId, batch: number) {
    const rows = batch * this.#steps;
    let at = 0;
    const take = (n: number) => {
      const view = backend.view(workspace, at, n);
      at += n;
      return view;
    };
    const onePassSize = this.#layer.workspaceSize(rows);
    const onePass = onePassSize > 0 ? take(onePassSize) : 0;
    const stepSize = this.#layer.workspaceSize(batch);
    const stepsAt = at;
    at += this.#steps * stepSize;
    const [x, y, dy, dx] = [take(rows * this.#inputSize), take(rows * this.#outputSize), take(rows * this.#outputSize), take(rows * this.#inputSize)];
    const weightGradsAt = at;
    return {
      onePass, x, y, dy, dx,
      step: (s: number) => (stepSize > 0 ? backend.view(workspace, stepsAt + s * stepSize, stepSize) : 0),
      /** Step `s`'s rows of a transposed `[steps, batch, size]` buffer. */
      stepOf: (buffer: BufferId, s: number, size: number) => backend.view(buffer, s * batch * size, batch * size),
      weightGrad: (i: number) => backend.view(workspace, weightGradsAt + this.#weightOffsets[i], this.#weightSizes[i]),
    };
  }
}
