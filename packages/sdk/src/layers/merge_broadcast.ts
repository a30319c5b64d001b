import type { Backend, BufferId } from '../backend/backend.js';
import type { Layer, Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/**
 * The sample shape that inputs of `shapes` broadcast to, as Keras' and tfjs' elementwise merges
 * compute it: shapes align at their last axis, and on each axis the sizes agree or one of them is 1
 * (a shorter shape counts as 1 on the axes it lacks).
 */
export function broadcastShapes(layer: Layer, shapes: readonly Shape[]): Shape {
  if (shapes.length < 2) {
    throw new Error(`${layer.className} layer '${layer.name}' merges two or more inputs, but received ${shapes.length}. Call it as layer.apply([a, b]).`);
  }
  return shapes.reduce((out, shape, k) => {
    const rank = Math.max(out.length, shape.length);
    return Array.from({ length: rank }, (_, axis) => {
      const a = out[axis - rank + out.length] ?? 1;
      const b = shape[axis - rank + shape.length] ?? 1;
      if (a !== b && a !== 1 && b !== 1) {
        throw new Error(
          `${layer.className} layer '${layer.name}' cannot broadcast its inputs' shapes together: ${shapes.map(formatShape).join(' and ')} (input ${k} has ${b} on axis ${axis - rank + shape.length + 1}, where the inputs before it have ${a}). ` +
            'Make the branches agree on that axis (a Dense or 1x1 Conv2D on the shortcut), or give one of them size 1 there to repeat it.',
        );
      }
      return a === 1 ? b : a;
    });
  });
}

/**
 * How an input smaller than the merge's output is repeated to the output's shape. The trailing axes
 * where the input already has the output's sizes make rows of `width` floats; every output row of a
 * sample reads input row `rowOf[r]`, so a gather by those indices (embeddingForward) repeats the
 * input, and a scatter-add by them (embeddingBackward) sums its gradient back.
 */
export class Broadcast {
  readonly width: number;
  readonly inputRows: number;
  readonly rowOf: Int32Array;

  constructor(input: Shape, output: Shape) {
    const padded = [...Array<number>(output.length - input.length).fill(1), ...input];
    let lead = output.length;
    while (lead > 0 && padded[lead - 1] === output[lead - 1]) lead--;
    this.width = output.slice(lead).reduce((a, b) => a * b, 1);
    const outputRows = output.slice(0, lead).reduce((a, b) => a * b, 1);
    this.inputRows = padded.slice(0, lead).reduce((a, b) => a * b, 1);
    this.rowOf = new Int32Array(outputRows);
    for (let r = 0; r < outputRows; r++) {
      let rest = r;
      let row = 0;
      let stride = 1;
      for (let axis = lead - 1; axis >= 0; axis--) {
        const at = rest % output[axis];
        rest = Math.floor(rest / output[axis]);
        if (padded[axis] !== 1) row += at * stride;
        stride *= padded[axis];
      }
      this.rowOf[r] = row;
    }
  }

  /** Floats of workspace for a batch: the row indices, the repeated input and its gradient. */
  workspaceSize(batch: number): number {
    return batch * this.rowOf.length * (1 + 2 * this.width);
  }

  /** Writes the batch's row indices at the start of `workspace` (once per batch plan). */
  writeIndices(b: Backend, workspace: BufferId, batch: number): void {
    const rows = this.rowOf.length;
    const indices = new Float32Array(batch * rows);
    for (let s = 0; s < batch; s++) for (let r = 0; r < rows; r++) indices[s * rows + r] = s * this.inputRows + this.rowOf[r];
    b.write(b.view(workspace, 0, indices.length), indices);
  }

  /** The repeated input and the buffer for its full-size gradient, in `workspace`. */
  regions(b: Backend, workspace: BufferId, batch: number): { indices: BufferId; repeated: BufferId; grad: BufferId } {
    const rows = batch * this.rowOf.length;
    const n = rows * this.width;
    return { indices: b.view(workspace, 0, rows), repeated: b.view(workspace, rows, n), grad: b.view(workspace, rows + n, n) };
  }

  /** Repeats `x` into the workspace's copy of it. */
  repeat(b: Backend, x: BufferId, workspace: BufferId, batch: number): BufferId {
    const { indices, repeated } = this.regions(b, workspace, batch);
    b.embeddingForward(indices, x, repeated, batch * this.rowOf.length, this.width, batch * this.inputRows);
    return repeated;
  }

  /** Sums the full-size gradient in the workspace back into `dx`, the input's shape (overwritten). */
  sumBack(b: Backend, workspace: BufferId, dx: BufferId, batch: number): void {
    const { indices, grad } = this.regions(b, workspace, batch);
    b.embeddingBackward(indices, grad, dx, batch * this.rowOf.length, this.width, batch * this.inputRows);
  }
}
