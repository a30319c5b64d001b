// Helpers for the input shapes layers receive: the one-input check, and shapes as messages print them.
import type { Layer, Shape } from './layer.js';

/** Throws unless exactly one input is given; returns its shape. */
export function singleInput(layer: Layer, inputShapes: readonly Shape[]): Shape {
  if (!Array.isArray(inputShapes) || !inputShapes.every((shape) => Array.isArray(shape))) {
    // Keras' layer.build((None, 4)) passes one shape with its batch axis.
    const sample = Array.isArray(inputShapes) ? inputShapes.filter((d, k) => !(k === 0 && d === null)) : [];
    throw new Error(
      `Layer '${layer.name}' (${layer.className}): build and computeOutputShape take a list of input shapes, one per input, each without the batch axis, but received ${JSON.stringify(inputShapes)}. ` +
        `For Keras' layer.build((None, ${sample.join(', ')})) call layer.build([[${sample.join(', ')}]]), or apply the layer to km.input({ shape: [${sample.join(', ')}] }), which builds it.`,
    );
  }
  if (inputShapes.length !== 1) {
    throw new Error(`Layer '${layer.name}' (${layer.className}) takes one input, but received ${inputShapes.length}.`);
  }
  return inputShapes[0];
}

/** Formats a shape with Keras' `None` batch dimension, for messages and summaries. */
export function formatShape(shape: Shape): string {
  return `(None, ${shape.join(', ')})`;
}
