import type { Layer } from '../layers/layer.js';
import type { LayersModel } from './model.js';

type Entry = Layer | LayersModel;

const isModel = (entry: Entry): entry is LayersModel => 'allLayers' in entry;

/** How to reach a layer of a model nested in `entries`, e.g. `getLayer('base').getLayer('conv')`, or null when none has it. */
function nestedPath(entries: readonly Entry[], name: string): string | null {
  for (const entry of entries) {
    if (!isModel(entry) || ![...entry.layers, ...entry.allLayers].some((l) => l.name === name)) continue;
    const inner = entry.layers.some((l) => l.name === name) ? '' : nestedPath(entry.layers, name);
    return `.getLayer('${entry.name}')${inner ?? ''}`;
  }
  return null;
}

/** `model.getLayer`: an entry of `layers` (a layer, or a model nested inside) by name, or by index when no name is given; errors name the model's layers or range. */
export function findLayer(model: string, layers: readonly Entry[], name?: string, index?: number): Entry {
  if (name !== undefined) {
    const found = layers.find((l) => l.name === name);
    if (!found) {
      const path = nestedPath(layers, name);
      const hint = path ? ` '${name}' is a layer of a model inside this one: reach it with model${path}.getLayer('${name}').` : '';
      throw new Error(`Model '${model}' has no layer named '${name}'. Its layers are: ${layers.map((l) => `'${l.name}'`).join(', ')}.${hint}`);
    }
    return found;
  }
  if (index === undefined) throw new Error(`getLayer needs a layer name or an index, e.g. model.getLayer('dense') or model.getLayer(undefined, 0).`);
  if (!Number.isInteger(index) || index < 0 || index >= layers.length) {
    throw new Error(`getLayer index ${index} is out of range: model '${model}' has ${layers.length} layers (indices 0 to ${layers.length - 1}).`);
  }
  return layers[index];
}
