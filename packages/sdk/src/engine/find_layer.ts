import type { Layer } from '../layers/layer.js';

/** `model.getLayer`: a layer of `layers` by name, or by index when no name is given; errors name the model's layers or range. */
export function findLayer(model: string, layers: readonly Layer[], name?: string, index?: number): Layer {
  if (name !== undefined) {
    const found = layers.find((l) => l.name === name);
    if (!found) {
      throw new Error(
        `Model '${model}' has no layer named '${name}'. Its layers are: ${layers.map((l) => `'${l.name}'`).join(', ')}. ` +
          'A model applied inside this one is not listed, its layers are: reach it through the model object itself (e.g. base.trainable = false).',
      );
    }
    return found;
  }
  if (index === undefined) throw new Error(`getLayer needs a layer name or an index, e.g. model.getLayer('dense') or model.getLayer(undefined, 0).`);
  if (!Number.isInteger(index) || index < 0 || index >= layers.length) {
    throw new Error(`getLayer index ${index} is out of range: model '${model}' has ${layers.length} layers (indices 0 to ${layers.length - 1}).`);
  }
  return layers[index];
}
