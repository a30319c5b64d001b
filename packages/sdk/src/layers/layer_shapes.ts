// Helpers for the input shapes layers receive: the one-input check, `build`'s public forms, and shapes as messages print them.
import type { SampleShape } from '../engine/unknown_dims.js';
import type { Layer, Shape } from './layer.js';

/** Throws unless exactly one input is given; returns its shape. */
export function singleInput(layer: Layer, inputShapes: readonly Shape[]): Shape {
  if (!Array.isArray(inputShapes) || !inputShapes.every((shape) => Array.isArray(shape))) {
    // Keras' layer.build((None, 4)) passes one shape with its batch axis.
    const sample = Array.isArray(inputShapes) ? inputShapes.filter((d, k) => !(k === 0 && d === null)) : [];
    throw new Error(
      `Layer '${layer.name}' (${layer.className}): build and computeOutputShape take a list of input shapes, one per input, each without the batch axis, but received ${JSON.stringify(inputShapes)}. ` +
        `For Keras' compute_output_shape((None, ${sample.join(', ')})) call computeOutputShape([[${sample.join(', ')}]]); layer.build takes Keras' form, layer.build([null, ${sample.join(', ')}]).`,
    );
  }
  if (inputShapes.length !== 1) {
    throw new Error(`Layer '${layer.name}' (${layer.className}) takes one input, but received ${inputShapes.length}.`);
  }
  return inputShapes[0];
}

/** Formats a shape with Keras' `None` batch dimension, for messages and summaries. */
export function formatShape(shape: SampleShape): string {
  return `(None, ${shape.map((d) => d ?? 'None').join(', ')})`;
}

/**
 * For a layer that takes sequences but received one vector per sample: the usual cause is a
 * recurrent layer before it without returnSequences, which passes on its last step only. A
 * recurrent decoder fed an encoder's last output needs a RepeatVector (`repeat`) instead.
 */
export function lastStepOnlyHint(shape: Shape, { repeat }: { repeat: boolean }): string {
  if (shape.length !== 1) return '';
  return ` A vector per sample is what an LSTM, GRU or SimpleRNN without returnSequences gives (its last step only): if this layer follows one, give that layer returnSequences: true` +
    (repeat ? `, or, to decode from an encoder's last output, put km.layers.repeatVector({ n: steps }) before this layer.` : '.');
}

const isDims = (shape: unknown): shape is readonly (number | null)[] => Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number');

/**
 * The sample shapes of a `layer.build(...)` call from outside kerasm: Keras' and tfjs' forms, one
 * shape with the batch axis first (`[null, 4]`) or a list of them (`[[null, 4], [null, 3]]`), or a
 * list of shapes without it (`[[4]]`, what kerasm hands `build` itself).
 */
export function buildCallShapes(layer: Layer, shapes: unknown): Shape[] {
  const keras = (list: readonly (readonly (number | null)[])[]) => list.map((shape) => shape.slice(1));
  const samples = isDims(shapes) && shapes.length >= 2 ? keras([shapes])
    : Array.isArray(shapes) && shapes.length > 0 && shapes.every(isDims) ? (shapes.every((shape) => shape[0] === null) ? keras(shapes) : shapes)
    : null;
  if (!samples || samples.some((shape) => shape.length === 0 || !shape.every((d) => Number.isInteger(d) && (d as number) > 0))) {
    throw new Error(
      `Layer '${layer.name}' (${layer.className}).build takes the input shape with the batch axis first, as Keras and tfjs write it: [null, 4], or a list of them for a layer with several inputs ([[null, 4], [null, 3]]), each sample dimension a positive integer. ` +
        `Received: ${JSON.stringify(shapes)}.`,
    );
  }
  return samples as Shape[];
}
