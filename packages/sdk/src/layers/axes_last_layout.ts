import type { Backend, BufferId } from '../backend/backend.js';
import type { ChannelOrder } from './channel_axis.js';
import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** The most axes, batch included, that `backend.transpose` takes. */
const MAX_TRANSPOSE_RANK = 5;

/**
 * A sample with any set of its axes moved last, in their order, the others first in theirs: the
 * layout a normalization over axes that are not adjacent (LayerNormalization over [1, 3]) gives its
 * kernels, each normalised group one row. Runs of axes that stay together move as one, and the
 * batch joins the axes before the first normalised one.
 */
export class AxesLastLayout implements ChannelOrder {
  readonly size: number;
  readonly channels: number;
  /** Sizes of the runs of axes that move together, the batch's first (its size stands for the batch). */
  readonly #runs: { size: number; moved: boolean }[];
  /** The runs' order once the moved ones are last. */
  readonly #perm: number[];

  /** `axes` count the batch as 0, are in range and distinct. */
  constructor(axes: readonly number[], shape: Shape, where: string) {
    const moved = new Set(axes);
    const runs = [{ size: 1, moved: false }];
    shape.forEach((size, i) => {
      const last = runs[runs.length - 1];
      if (last.moved === moved.has(i + 1)) last.size *= size;
      else runs.push({ size, moved: moved.has(i + 1) });
    });
    if (runs.length > MAX_TRANSPOSE_RANK) {
      throw new Error(
        `${where}: axes ${JSON.stringify([...axes])} of inputs of shape ${formatShape(shape)} alternate with the other axes too often for kerasm's transposes (at most ${MAX_TRANSPOSE_RANK} runs of axes, the batch's included, where they make ${runs.length}). ` +
          'Move the axes to normalise next to each other first (km.layers.permute).',
      );
    }
    this.#runs = runs;
    this.#perm = [...runs.keys()].sort((a, b) => Number(runs[a].moved) - Number(runs[b].moved) || a - b);
    this.size = shape.reduce((a, b) => a * b, 1);
    this.channels = axes.reduce((product, a) => product * shape[a - 1], 1);
  }

  get transposed(): boolean {
    return this.#perm.some((run, i) => run !== i);
  }

  #dims(batch: number): number[] {
    return this.#runs.map((run, i) => (i === 0 ? batch * run.size : run.size));
  }

  toChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    backend.transpose(x, y, this.#dims(batch), this.#perm);
  }

  fromChannelsLast(backend: Backend, x: BufferId, y: BufferId, batch: number): void {
    const dims = this.#dims(batch);
    backend.transpose(x, y, this.#perm.map((run) => dims[run]), this.#perm.map((_, i) => this.#perm.indexOf(i)));
  }
}
