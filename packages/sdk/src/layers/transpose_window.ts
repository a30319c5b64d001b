import type { PaddingMode, SampleGeometry } from './window.js';

// A transposed convolution is the adjoint of the convolution that maps its output shape back to its
// input shape, so the layers run that convolution's window geometry backwards (col2im forward,
// im2col backward). This file finds that geometry for 1, 2 or 3 spatial axes.

/** A transposed convolution's validated window, one value per spatial axis. */
export interface TransposeWindow {
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  padding: PaddingMode;
  /** Keras' extra rows at the end of each axis, or null for the default output size. */
  outputPadding: number[] | null;
}

/**
 * Reads Keras' `output_padding`: null, an int, or one non-negative int per axis, each below its
 * stride (as Keras requires).
 */
export function outputPaddingOf(value: unknown, strides: readonly number[], where: string): number[] | null {
  if (value === undefined || value === null) return null;
  const rank = strides.length;
  const axes = typeof value === 'number' ? new Array<number>(rank).fill(value) : Array.isArray(value) ? [...(value as unknown[])] : [NaN];
  if (axes.length !== rank || !axes.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
    throw new Error(`${where}: outputPadding must be null, a non-negative integer or a list of ${rank} of them. Received: outputPadding=${JSON.stringify(value)}.`);
  }
  const padding = axes as number[];
  if (padding.some((p, a) => p >= strides[a])) {
    throw new Error(`${where}: each outputPadding must be smaller than its stride (as in Keras). Received: outputPadding=${JSON.stringify(value)}, strides=[${strides}]. Lower outputPadding below the stride, or raise strides.`);
  }
  return padding;
}

/**
 * Keras' `deconv_output_length` on one axis: the output length of a transposed convolution over
 * `length` positions, with the dilated kernel `(k − 1)·d + 1`.
 */
export function deconvOutputLength(length: number, kernel: number, stride: number, dilation: number, padding: PaddingMode, outputPadding: number | null): number {
  const span = (kernel - 1) * dilation + 1;
  if (outputPadding === null) return padding === 'valid' ? length * stride + Math.max(span - stride, 0) : length * stride;
  const pad = padding === 'same' ? Math.floor(span / 2) : 0;
  return (length - 1) * stride + span - 2 * pad + outputPadding;
}

/**
 * The adjoint convolution's window on one axis: from `out` (the transposed convolution's output
 * length) back to `length`, with TensorFlow's padding before the first window for 'same' (half the
 * total, rounded down) and none for 'valid'; positions past the last window are never read, which
 * is where output padding adds its rows.
 */
function adjointAxis(length: number, kernel: number, stride: number, dilation: number, padding: PaddingMode, outputPadding: number | null): { out: number; pad: number } {
  const out = deconvOutputLength(length, kernel, stride, dilation, padding, outputPadding);
  const span = (kernel - 1) * dilation + 1;
  const pad = padding === 'same' ? Math.floor(Math.max(0, (length - 1) * stride + span - out) / 2) : 0;
  return { out, pad };
}

/**
 * The window geometry of the convolution a transposed convolution is the adjoint of, for one sample
 * of `sizes` (1 to 3 spatial lengths; missing leading axes are of length 1) whose output has
 * `filters` channels: its input is the layer's output, its output the layer's input.
 */
export function transposeGeometry(sizes: readonly number[], filters: number, window: TransposeWindow): SampleGeometry {
  const lead = 3 - sizes.length;
  const axis = (a: number) => {
    if (a < lead) return { length: 1, kernel: 1, stride: 1, dilation: 1, out: 1, pad: 0 };
    const i = a - lead;
    const [kernel, stride, dilation] = [window.kernelSize[i], window.strides[i], window.dilationRate[i]];
    return { length: sizes[i], kernel, stride, dilation, ...adjointAxis(sizes[i], kernel, stride, dilation, window.padding, window.outputPadding?.[i] ?? null) };
  };
  const [d, h, w] = [axis(0), axis(1), axis(2)];
  return {
    inD: d.out, inH: h.out, inW: w.out, channels: filters, kD: d.kernel, kH: h.kernel, kW: w.kernel,
    strideD: d.stride, strideH: h.stride, strideW: w.stride, dilationD: d.dilation, dilationH: h.dilation, dilationW: w.dilation,
    padFront: d.pad, padTop: h.pad, padLeft: w.pad, outD: d.length, outH: h.length, outW: w.length,
  };
}
