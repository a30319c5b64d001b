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

/**
 * A factor read as Keras 3's base image layer reads it (`_set_factor`), for layers whose factor
 * lies within `bounds`: f in bounds stands for [max(−|f|, bounds[0]), |f|], so [−f, f] for bounds
 * [−1, 1] and [0, f] for [0, 1]; a pair is sorted, refused only when it misses the bounds entirely.
 */
export function boundedFactorRange(factor: unknown, bounds: readonly [number, number], option: string, where: string): [number, number] {
  const [lo, hi] = bounds;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  if (finite(factor) && factor >= lo && factor <= hi) return [Math.max(-Math.abs(factor), lo), Math.abs(factor)];
  if (Array.isArray(factor) && factor.length === 2 && factor.every(finite) && !(factor[0] > hi || factor[1] < lo)) {
    const [a, b] = factor as [number, number];
    return [Math.min(a, b), Math.max(a, b)];
  }
  const single = lo < 0 ? `[−${option}, ${option}]` : `[0, ${option}]`;
  throw new Error(`${where}: ${option} must be a number in [${lo}, ${hi}] (the range ${single}) or a [lower, upper] pair of numbers within [${lo}, ${hi}], e.g. ${option}: 0.5 or ${option}: [0.2, 0.6]. Received: ${option}=${JSON.stringify(factor)}.`);
}
