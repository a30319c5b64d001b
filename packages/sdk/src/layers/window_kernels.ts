import type { ChannelsLastBody } from './channel_axis.js';
import type { BackwardContext, ForwardContext } from './layer.js';
import type { SampleGeometry } from './window.js';
import type { WindowGeometry } from '../backend/backend.js';

/**
 * A layer's whole computation as one backend kernel over a window geometry, and that kernel's
 * gradient: pooling, and zero padding or cropping over a 1×1 (or 1×1×1) window whose padding is
 * the border.
 */
export interface WindowKernel {
  /** Writes `ctx.output` from `ctx.inputs[0]`. */
  forward(ctx: ForwardContext, g: WindowGeometry): void;
  /** Writes `ctx.inputGrads[0]`, which is set, from `ctx.outputGrad`. */
  backward(ctx: BackwardContext, g: WindowGeometry): void;
}

/** The max of each window; the gradient goes to the window's first maximum, as in TensorFlow. */
export const MAX_POOL: WindowKernel = {
  forward: (c, g) => c.backend.maxPool(c.inputs[0], c.output, g),
  backward: (c, g) => c.backend.maxPoolGrad(c.inputs[0], c.output, c.outputGrad, c.inputGrads[0], g),
};

/** The mean of each window's positions inside the input. */
export const AVERAGE_POOL: WindowKernel = {
  forward: (c, g) => c.backend.avgPool(c.inputs[0], c.output, g),
  backward: (c, g) => c.backend.avgPoolGrad(c.outputGrad, c.inputGrads[0], g),
};

/** Zero padding: im2col reads a window's padded positions as zero; its adjoint, col2im, crops them away. */
export const ZERO_PAD: WindowKernel = {
  forward: (c, g) => c.backend.im2col(c.inputs[0], c.output, g),
  backward: (c, g) => c.backend.col2im(c.outputGrad, c.inputGrads[0], g),
};

/** Cropping, the adjoint of zero padding over the geometry of the cropped sample. */
export const CROP: WindowKernel = {
  forward: (c, g) => c.backend.col2im(c.inputs[0], c.output, g),
  backward: (c, g) => c.backend.im2col(c.outputGrad, c.inputGrads[0], g),
};

/** Runs `kernel` over one sample's `geometry`, on `body`'s channels-last views of the layer's input and output. */
export function windowForward(kernel: WindowKernel, body: ChannelsLastBody, ctx: ForwardContext, geometry: SampleGeometry): void {
  body.forward(ctx, 0, (c) => kernel.forward(c, { ...geometry, batch: c.batch }));
}

/** The gradient of {@link windowForward}; nothing when the input takes no gradient. */
export function windowBackward(kernel: WindowKernel, body: ChannelsLastBody, ctx: BackwardContext, geometry: SampleGeometry): void {
  if (!ctx.inputGrads[0]) return;
  body.backward(ctx, 0, (c) => kernel.backward(c, { ...geometry, batch: c.batch }));
}
