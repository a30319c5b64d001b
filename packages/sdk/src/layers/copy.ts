import type { BackwardContext, ForwardContext } from './layer.js';

/** Forward pass of a layer that only reinterprets its input: copy `sampleSize` floats per sample. */
export function copyForward(ctx: ForwardContext, sampleSize: number): void {
  ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * sampleSize);
}

/** Backward pass of such a layer: the gradient passes through unchanged. */
export function copyBackward(ctx: BackwardContext, sampleSize: number): void {
  if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * sampleSize);
}
