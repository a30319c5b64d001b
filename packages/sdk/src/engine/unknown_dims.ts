// Model inputs may leave dimensions unknown (null, Keras' None): sequences of any length, images of
// any size. Layers are built and traced with such a dimension at a probe size, and each batch of data
// runs through the graph reshaped to its own sizes (Graph.withInputShapes). Which output dimensions
// of a layer are unknown is found by tracing it again with its unknown input dimensions doubled and
// seeing which ones change.
import type { Layer, Shape } from '../layers/layer.js';

/** A sample shape as declared or shown: null for a dimension of unknown size. */
export type SampleShape = readonly (number | null)[];

/**
 * The size an unknown dimension has while layers are built and traced: divisible by 2, 3, 4, 5, 6,
 * 8 and 10, large enough for a few pooling or 'valid' convolution steps, and small enough that a
 * CallLayer, which finds its output shape by running `call` on one sample of zeros, can run it on
 * an image of twice that height and width.
 */
export const PROBE_SIZE = 240;

/** A declared shape with each unknown dimension at the probe size, and those dimensions' axes. */
export function probedShape(declared: SampleShape): { shape: Shape; unknownAxes: number[] } {
  return {
    shape: declared.map((d) => d ?? PROBE_SIZE),
    unknownAxes: declared.flatMap((d, axis) => (d === null ? [axis] : [])),
  };
}

/** `shape` as users see it, null at the unknown axes. */
export function shownShape(shape: Shape, unknownAxes: readonly number[]): SampleShape {
  return unknownAxes.length === 0 ? shape : shape.map((d, axis) => (unknownAxes.includes(axis) ? null : d));
}

/** `shape` with its unknown axes twice their size: another size they might have, which keeps what they are divisible by. */
function doubled(shape: Shape, unknownAxes: readonly number[]): Shape {
  return shape.map((d, axis) => (unknownAxes.includes(axis) ? 2 * d : d));
}

/** Whether `shape` (data's) fits `shape` traced with `unknownAxes`: the same rank and the same size on every known axis. */
export function fitsUnknown(given: Shape, traced: Shape, unknownAxes: readonly number[]): boolean {
  return given.length === traced.length && given.every((d, axis) => unknownAxes.includes(axis) ? Number.isInteger(d) && d > 0 : d === traced[axis]);
}

/**
 * Runs `trace` (a layer's shape inference and build on inputs with these unknown axes) and, where
 * some axis is unknown, adds to an error it throws where the sizes in its message come from.
 */
export function tracedAtProbe<T>(unknownAxes: readonly (readonly number[])[], trace: () => T): T {
  try {
    return trace();
  } catch (error) {
    if (!(error instanceof Error) || unknownAxes.every((axes) => axes.length === 0)) throw error;
    throw new Error(`${error.message} (While the model is made, a dimension of unknown size (None) is traced at ${PROBE_SIZE} and at twice that.)`, { cause: error });
  }
}

/** The axes where two traces of one output differ: those that follow an unknown input dimension. */
export function changedAxes(first: Shape, second: Shape): number[] {
  return first.flatMap((d, axis) => (d !== second[axis] ? [axis] : []));
}

/**
 * Which axes of each output of a layer call are unknown, given its input shapes (as built) and
 * their unknown axes: the call is traced again with those doubled, which also checks that the
 * layer's weights do not depend on them, and the layer is bound back.
 */
export function unknownOutputAxes(layer: Layer, shapes: readonly Shape[], unknownAxes: readonly (readonly number[])[], outputShapes: readonly Shape[]): number[][] {
  if (unknownAxes.every((axes) => axes.length === 0)) return outputShapes.map(() => []);
  const second = shapes.map((shape, k) => doubled(shape, unknownAxes[k] ?? []));
  layer.rebind(second);
  try {
    const traced = layer.computeOutputShapes(second);
    return outputShapes.map((shape, k) => changedAxes(shape, traced[k]));
  } finally {
    layer.rebind(shapes);
  }
}
