/**
 * `axis` for a tfjs-layers 4.22 norm constraint (maxNorm, unitNorm, minMaxNorm). Its types say
 * `axis?: number`, but its own docs ask for `[0, 1, 2]` on a Conv2D kernel, the constraint reduces
 * over every axis it is given and serializes the array as Keras does: the type is narrower than the
 * library, so this widens an axis list past it for the tests that compare against tfjs.
 */
export function tfjsConstraintAxis(axis: number | number[]): number {
  return axis as unknown as number;
}
