// The mel filterbank of MelSpectrogram, as Keras 3's linear_to_mel_weight_matrix (itself tf.signal's):
// triangular filters, linear in the HTK mel scale mel(f) = 1127·ln(1 + f / 700), peaking at 1.

/** Keras' (HTK's) mel scale. */
function hertzToMel(hertz: number): number {
  return 1127 * Math.log(1 + hertz / 700);
}

/**
 * The `[spectrogramBins, melBins]` matrix (row-major) that maps the power of `spectrogramBins`
 * linearly spaced bins over [0, samplingRate / 2] to `melBins` bands over [lowerHertz, upperHertz]:
 * band m's triangle rises from edge m to edge m + 1 and falls to edge m + 2 of melBins + 2 edges
 * equally spaced in mel. The DC bin gets no weight (row 0 is zeros), as in HTK.
 */
export function melWeightMatrix(melBins: number, spectrogramBins: number, samplingRate: number, lowerHertz: number, upperHertz: number): Float32Array {
  const out = new Float32Array(spectrogramBins * melBins);
  const [low, high] = [hertzToMel(lowerHertz), hertzToMel(upperHertz)];
  const edge = (i: number): number => low + ((high - low) * i) / (melBins + 1);
  for (let k = 1; k < spectrogramBins; k++) {
    const mel = hertzToMel(((samplingRate / 2) * k) / (spectrogramBins - 1));
    for (let m = 0; m < melBins; m++) {
      const [lower, center, upper] = [edge(m), edge(m + 1), edge(m + 2)];
      const rising = (mel - lower) / (center - lower);
      const falling = (upper - mel) / (upper - center);
      out[k * melBins + m] = Math.max(0, Math.min(rising, falling));
    }
  }
  return out;
}
