import type { Shape } from './layer.js';
import { formatShape } from './layer_shapes.js';

/** The `[steps, features]` sample shapes of an attention call's query, value and key. */
export interface AttentionInputShapes {
  query: Shape;
  value: Shape;
  /** The key's shape, or the value's when the call gives no key. */
  key: Shape;
}

/**
 * The query, value and key of a call's `[query, value, key?, ...]` sample shapes, checked as every
 * attention layer needs them: each `[steps, features]` (else an error naming it that ends with
 * `rankFix`), and key and value of the same steps. `where` names the layer.
 */
export function attentionInputShapes(shapes: readonly Shape[], where: string, rankFix: string): AttentionInputShapes {
  const names = ['query', 'value', 'key'];
  shapes.slice(0, 3).forEach((shape, k) => {
    if (shape.length !== 2) {
      throw new Error(`${where}: ${names[k]} must have rank 3, [batch, steps, features], but received shape ${formatShape(shape)} (rank ${shape.length + 1}). ${rankFix}`);
    }
  });
  const [query, value] = shapes;
  const key = shapes[2] ?? value;
  if (key[0] !== value[0]) {
    throw new Error(`${where}: key and value must have the same number of steps (each key step scores one value step), but received key ${formatShape(key)} and value ${formatShape(value)}. Give them the same sequence length.`);
  }
  return { query, value, key };
}
