/**
 * The shape of one 2-D window operation (convolution or pooling) over an NHWC batch. Padding is
 * given as the rows above and columns left of the input that windows may start in; positions
 * outside the input read as zero (convolution) or are skipped (pooling).
 */
export interface WindowGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

/**
 * The shape of a resize over an NHWC batch: each image `[inH, inW, channels]` has its crop window
 * `[cropTop, cropTop + cropH) × [cropLeft, cropLeft + cropW)` resized to `[outH, outW]` (the window
 * is the whole image unless Keras' crop_to_aspect_ratio asks for less).
 */
export interface ResizeGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly cropTop: number;
  readonly cropLeft: number;
  readonly cropH: number;
  readonly cropW: number;
  readonly outH: number;
  readonly outW: number;
}

/** How a resize samples its source: the linear blend of the four nearest pixels, or the nearest one. */
export type ResizeInterpolation = 'bilinear' | 'nearest';
