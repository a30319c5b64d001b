import type { Backend, BufferId } from '../backend/backend.js';

/**
 * Copies a batch-major `[batch, steps, width]` sequence to or from time-major `[steps, batch,
 * width]`, one strided copy per step; `reverse` maps step s to step steps − 1 − s (a goBackwards
 * layer's input and its gradient; its output sequence stays in processing order, as Keras returns it).
 */
export function transposeSteps(backend: Backend, steps: number, batchMajor: BufferId, timeMajor: BufferId, batch: number, width: number, toTimeMajor: boolean, reverse: boolean): void {
  for (let s = 0; s < steps; s++) {
    const step = reverse ? steps - 1 - s : s;
    const sequenceRows = backend.view(batchMajor, step * width, (batch - 1) * steps * width + width);
    const stepRows = backend.view(timeMajor, s * batch * width, batch * width);
    if (toTimeMajor) backend.copyRows(sequenceRows, steps * width, stepRows, width, batch, width);
    else backend.copyRows(stepRows, width, sequenceRows, steps * width, batch, width);
  }
}
