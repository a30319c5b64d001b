// Axis arguments as tfjs takes them: an integer or a list, negative ones counting from the end.

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** One axis of a tensor of `shape`, in [-rank, rank) (tfjs' range), made non-negative. */
export function parseAxis(fn: string, axis: number, shape: readonly number[], extra = 0): number {
  const rank = shape.length + extra;
  if (rank === 0) throw new Error(`${fn}: a scalar has no axes, so axis ${String(axis)} does not exist. Reshape it first, e.g. t.reshape([1]).`);
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`${fn}: axis ${JSON.stringify(axis)} is out of range for shape ${shapeText(shape)}: use an integer from ${-rank} to ${rank - 1} (negative counts from the last axis).`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The axes to reduce: all of them when `axis` is null or undefined (tfjs' default); no repeats. */
export function parseAxes(fn: string, axis: number | readonly number[] | null | undefined, shape: readonly number[]): number[] {
  if (axis == null) return shape.map((_, i) => i);
  const axes = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => parseAxis(fn, a, shape));
  const repeated = axes.find((a, i) => axes.indexOf(a) !== i);
  if (repeated !== undefined) throw new Error(`${fn}: axis ${repeated} is given twice in ${JSON.stringify(axis)} (shape ${shapeText(shape)}). List each axis once.`);
  return axes;
}
