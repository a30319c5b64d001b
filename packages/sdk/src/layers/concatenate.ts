import type { Backend, BufferId } from '../backend/backend.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';
import type { MergeArgs } from './merge.js';
import { registerBuiltinLayer } from './registry.js';
import { checkOptions } from '../utils/options.js';
import { CONCATENATE_OPTIONS } from './layer_options.js';
import { mergeFactory } from './merge_factory.js';

/** Options of {@link Concatenate}. */
export interface ConcatenateArgs extends MergeArgs {
  /** The axis to join along, counting the batch as axis 0 as Keras does; negative counts from the last. Default -1. */
  axis?: number;
}

/**
 * Joins its inputs along one axis (by default the last, channels); they must agree on every other
 * axis. Each input fills a block of every row of the output: rows are the axes before the joined
 * one, and an input's block is its part of the joined axis times the axes after it.
 */
export class Concatenate extends Layer {
  readonly className = 'Concatenate';
  readonly axis: number;
  #widths: number[] = [];
  #rows = 0;
  #joinsSteps = false;
  /** Each input's mask values per row: its part of the joined axis times the axes after it but the last. */
  #maskWidths: number[] = [];

  // The inputs' masks (their AND) still apply where the join keeps every step where it was.
  override get supportsMasking(): boolean {
    return true;
  }

  // Joining along the steps joins the inputs' masks along them too, as Keras does (all ones for an input without one).
  override get readsInputMasks(): boolean {
    return this.#joinsSteps;
  }

  override get producesMask(): boolean {
    return this.#joinsSteps;
  }

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate');
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis) || this.axis === 0) {
      throw new Error(`Concatenate layer '${this.name}' joins along an axis of the samples: a whole number other than 0 (the batch), e.g. -1 for the last. Received: axis=${JSON.stringify(args.axis)}.`);
    }
  }

  /** The joined axis within a sample's shape of `rank` axes. */
  #sampleAxis(rank: number): number {
    const axis = this.axis < 0 ? rank + this.axis : this.axis - 1;
    if (axis < 0 || axis >= rank) {
      throw new Error(`Concatenate layer '${this.name}' cannot join axis ${this.axis} of inputs of rank ${rank + 1} (batch included). Use an axis from 1 to ${rank}, or from -${rank} to -1.`);
    }
    return axis;
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    if (inputShapes.length < 2) {
      throw new Error(`Concatenate layer '${this.name}' joins two or more inputs, but received ${inputShapes.length}. Call it as layer.apply([a, b]).`);
    }
    const first = inputShapes[0];
    const axis = this.#sampleAxis(first.length);
    const bad = inputShapes.findIndex((s) => s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i]));
    if (bad >= 0) {
      throw new Error(`Concatenate layer '${this.name}' joins axis ${this.axis}, so its inputs must agree on every other axis, but received ${inputShapes.map(formatShape).join(' and ')} (input ${bad} differs).`);
    }
    return first.map((d, i) => (i === axis ? inputShapes.reduce((sum, s) => sum + s[axis], 0) : d));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const rank = inputShapes[0].length;
    const axis = this.#sampleAxis(rank);
    const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);
    this.#rows = size(inputShapes[0].slice(0, axis));
    this.#widths = inputShapes.map((s) => size(s.slice(axis)));
    this.#joinsSteps = axis < rank - 1;
    this.#maskWidths = inputShapes.map((s) => size(s.slice(axis, -1)));
  }

  /** The ones an input without a mask contributes: as many as the widest such input's block. */
  override workspaceSize(batch: number): number {
    return this.#joinsSteps ? batch * this.#rows * Math.max(...this.#maskWidths) : 0;
  }

  // Written once per batch plan; forward only reads them.
  override initWorkspace(backend: Backend, workspace: BufferId, batch: number): void {
    if (this.#joinsSteps) backend.fill(workspace, this.workspaceSize(batch), 1);
  }

  forward(ctx: ForwardContext): void {
    const { backend, batch, inputs, inputMasks, output, outputMask, workspace } = ctx;
    const rows = batch * this.#rows;
    this.#join(backend, inputs, this.#widths, output, rows);
    if (outputMask) this.#join(backend, inputMasks.map((mask) => mask || workspace), this.#maskWidths, outputMask, rows);
  }

  /** Each source's rows of `widths[k]` values side by side in `target`'s rows of their sum. */
  #join(backend: Backend, sources: readonly BufferId[], widths: readonly number[], target: BufferId, rows: number): void {
    const total = widths.reduce((a, b) => a + b, 0);
    let offset = 0;
    widths.forEach((w, k) => {
      backend.copyRows(sources[k], w, backend.view(target, offset, 0), total, rows, w);
      offset += w;
    });
  }

  backward(ctx: BackwardContext): void {
    const total = this.#widths.reduce((a, b) => a + b, 0);
    let offset = 0;
    this.#widths.forEach((w, k) => {
      const dx = ctx.inputGrads[k];
      if (dx) ctx.backend.copyRows(ctx.backend.view(ctx.outputGrad, offset, 0), total, dx, w, ctx.batch * this.#rows, w);
      offset += w;
    });
  }
}

registerBuiltinLayer('Concatenate', (config) => new Concatenate(config as ConcatenateArgs));

/**
 * Joins inputs along an axis, the last by default; they must agree on every other axis.
 * @example `km.layers.concatenate().apply([a, b])`, `km.layers.concatenate({ axis: 1 }).apply([early, late])`
 */
export const concatenate = mergeFactory((args?: ConcatenateArgs): Concatenate => {
  checkOptions(args, CONCATENATE_OPTIONS, 'km.layers.concatenate');
  return new Concatenate(args);
});
