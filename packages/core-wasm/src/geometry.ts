/**
 * The shape of one 2-D or 3-D window operation (convolution or pooling) over an NHWC or NDHWC
 * batch. Padding is given as the planes in front of, rows above and columns left of the input that
 * windows may start in; positions outside the input read as zero (convolution) or are skipped
 * (pooling). The depth fields are absent for images: an image is a volume of depth 1.
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
  /** Depth of a volume (default 1). */
  readonly inD?: number;
  readonly kD?: number;
  readonly strideD?: number;
  readonly dilationD?: number;
  /** Planes of padding in front of the volume (default 0). */
  readonly padFront?: number;
  readonly outD?: number;
  /**
   * Channel groups of a grouped convolution (default 1; im2col/col2im only): each row of the
   * columns holds its window group by group, `[groups, taps, channels / groups]`.
   */
  readonly groups?: number;
}

/** The depth axis of a geometry, with an image's defaults: [inD, kD, strideD, dilationD, padFront, outD]. */
export function depthAxis(g: WindowGeometry): [number, number, number, number, number, number] {
  return [g.inD ?? 1, g.kD ?? 1, g.strideD ?? 1, g.dilationD ?? 1, g.padFront ?? 0, g.outD ?? 1];
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

/**
 * A resize over an NHWC batch as tf.image.resizeBilinear and resizeNearestNeighbor define it: each
 * image `[inH, inW, channels]` (float32 or, with `int32Input`, int32 values) resized to
 * `[outH, outW]` on tfjs' sampling grid: by default output index i samples i·in/out;
 * `alignCorners` maps the corner pixels onto each other ((in − 1)/(out − 1)); `halfPixelCenters`
 * samples at (i + 0.5)·in/out (− 0.5 for bilinear). Both cannot be set.
 */
export interface ResizeGrid {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly channels: number;
  readonly outH: number;
  readonly outW: number;
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
  readonly int32Input?: boolean;
}

/** How a resize samples its source: the linear blend of the four nearest pixels, or the nearest one. */
export type ResizeInterpolation = 'bilinear' | 'nearest';
