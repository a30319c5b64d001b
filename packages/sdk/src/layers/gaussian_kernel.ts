/** Keras' 1-D Gaussian over k taps centred on the middle one, normalised to sum 1, in float64. */
export function gaussian1d(k: number, sigma: number): number[] {
  const taps = Array.from({ length: k }, (_, i) => Math.exp(-0.5 * ((i - (k - 1) / 2) / sigma) ** 2));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}
