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
