/**
 * Parameters of {@link Core.piecewiseLinearForward}: y = clamp(x > threshold ? x : 0, lo, hi)
 * − negativeSlope·max(threshold − x, 0). Keras' ReLU(maxValue) is lo = 0, hi = maxValue (lo = −∞
 * and hi = +∞ without a maxValue); LeakyReLU(alpha) is threshold 0, negativeSlope alpha;
 * ThresholdedReLU(theta) is threshold theta, negativeSlope 0.
 */
export interface PiecewiseLinear {
  readonly threshold: number;
  readonly negativeSlope: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * How PReLU's alpha spreads over a batch: x is viewed as [batch, outer, shared, inner] and alpha
 * as [outer, inner], the same alpha for every index along `shared` (Keras' sharedAxes, merged).
 */
export interface PreluGeometry {
  readonly batch: number;
  readonly outer: number;
  readonly shared: number;
  readonly inner: number;
}
