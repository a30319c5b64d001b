// What Layer.rebind needs to run `build` again for other input shapes: the fields `build` derived,
// reset to what the constructor left, and the check that the weights come out the same.
import { formatShape } from './layer_shapes.js';
import type { Layer, Shape } from './layer.js';
import type { WeightSpec } from './layer_context.js';

/** A layer's own enumerable fields by key. */
export type Fields = ReadonlyMap<string, unknown>;

/** The fields `build` set or changed, and what each held before it ran (absent: `build` added it). */
export interface BuildFields {
  readonly keys: readonly string[];
  readonly before: Fields;
}

/** The layer's own enumerable fields now. */
export function fieldsOf(layer: Layer): Fields {
  return new Map(Object.entries(layer));
}

/** The fields `build` set, comparing the layer now with its fields `before` it ran. */
export function buildFieldsOf(layer: Layer, before: Fields): BuildFields {
  const keys = Object.entries(layer)
    .filter(([key, value]) => !before.has(key) || before.get(key) !== value)
    .map(([key]) => key);
  return { keys, before };
}

/** Puts back the fields `build` set as they were before it ran, so that it can run again. */
export function resetBuildFields(layer: Layer, { keys, before }: BuildFields): void {
  const fields = layer as unknown as Record<string, unknown>;
  for (const key of keys) {
    if (before.has(key)) fields[key] = before.get(key);
    else delete fields[key];
  }
}

/**
 * Refuses a `build` for other input shapes that declares other weights than the layer has: its
 * weights would depend on a dimension of unknown size (Keras' None), as a Dense's kernel does on
 * its last input dimension.
 */
export function checkSameWeights(layer: Layer, weights: readonly WeightSpec[], redeclared: readonly WeightSpec[], builtFor: readonly Shape[], inputShapes: readonly Shape[]): void {
  const differs = (k: number) => redeclared[k]?.name !== weights[k]?.name || formatShape(redeclared[k]!.shape) !== formatShape(weights[k]!.shape);
  const k = Array.from({ length: Math.max(weights.length, redeclared.length) }, (_, i) => i).find(differs);
  if (k === undefined) return;
  const shapes = (list: readonly Shape[]) => list.map(formatShape).join(' and ');
  const weight = (spec: WeightSpec | undefined) => (spec ? `'${spec.name}' of shape [${spec.shape.join(', ')}]` : 'no such weight');
  throw new Error(
    `Layer '${layer.name}' (${layer.className}) has weight ${weight(weights[k])} for inputs of shape ${shapes(builtFor)}, but would need ${weight(redeclared[k])} for ${shapes(inputShapes)}: ` +
      `its weights depend on a dimension that the model input leaves unknown (null, Keras' None), where every size must use the same weights. ` +
      `Give that dimension a size in the input's shape (e.g. inputShape: [100, 8] rather than [null, 8]), or reduce it before this layer (e.g. a globalAveragePooling1d before a Dense).`,
  );
}
