// Option checks shared by Keras' colour augmentation layers.

/** Keras' `value_range`: a [low, high] pair of different finite numbers, returned in order. */
export function valueRangeOf(range: unknown, where: string): [number, number] {
  if (!Array.isArray(range) || range.length !== 2 || !range.every((v) => typeof v === 'number' && Number.isFinite(v)) || range[0] === range[1]) {
    throw new Error(`${where}: valueRange must be a [low, high] pair of different finite numbers, e.g. [0, 1] or [0, 255]. Received: valueRange=${JSON.stringify(range)}.`);
  }
  return [Math.min(...range), Math.max(...range)];
}

/**
 * A factor of Keras' newer colour layers (RandomInvert's, Solarization's): f in [0, 1] stands for
 * the range [0, f], a [lower, upper] pair of numbers in [0, 1] for itself, sorted.
 */
export function unitFactorRange(factor: unknown, option: string, where: string): [number, number] {
  const valid = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  if (valid(factor)) return [0, factor];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(valid)) {
    const [a, b] = factor as [number, number];
    return [Math.min(a, b), Math.max(a, b)];
  }
  throw new Error(`${where}: ${option} must be a number in [0, 1] (the range [0, ${option}]) or a [lower, upper] pair of numbers in [0, 1], e.g. ${option}: 0.5 or ${option}: [0.2, 0.6]. Received: ${option}=${JSON.stringify(factor)}.`);
}
