import type { LayersModel } from '../engine/model.js';
import { weightOrder } from '../engine/params.js';
import type { Layer } from '../layers/layer.js';
import type { NamedWeight } from './weights.js';

/*
 * The LayersModel format names a weight `<layer>/<weight>`, without the models around its layer, and
 * loading pairs the file's weights with the model's by those names. Two layers of one name in a
 * model (each in its own nested model, or one nested and one outside) give two weights one name.
 * tfjs-layers 4.22 saves such a model (its getNamedWeights writes each weight's originalName) but
 * cannot load the file: its loadWeights throws "Duplicate weight name". kerasm refuses to save it,
 * and names both layers, so the file that tfjs cannot read back is never written.
 */

/** Where a layer sits: "of model 'outer'", or "in nested model 'outer/inner'". */
function placesOf(model: LayersModel): Map<Layer, string> {
  const places = new Map<Layer, string>();
  const walk = (m: LayersModel, path: string[]) => {
    for (const entry of m.layers) {
      if (isModel(entry)) walk(entry, [...path, entry.name]);
      else if (!places.has(entry)) places.set(entry, path.length === 0 ? `of model '${m.name}'` : `in nested model '${path.join('/')}'`);
    }
  };
  walk(model, []);
  return places;
}

function isModel(entry: Layer | LayersModel): entry is LayersModel {
  return 'allLayers' in entry;
}

/** Throws, naming both layers and the fix, when two of the model's weights have one name. */
export function checkDistinctWeightNames(model: LayersModel): void {
  const owners = new Map<string, Layer>();
  for (const { layer, spec } of weightOrder(model.allLayers)) {
    const first = owners.get(spec.name);
    if (!first) {
      owners.set(spec.name, layer);
      continue;
    }
    const places = placesOf(model);
    const describe = (l: Layer) => `layer '${l.name}' (${l.className}) ${places.get(l) ?? `of model '${model.name}'`}`;
    throw new Error(
      `Model '${model.name}' cannot be saved: a weight of ${describe(first)} and one of ${describe(layer)} are both named '${spec.name}'. ` +
        "The LayersModel format names a weight '<layer>/<weight>' without the models around its layer, and loading pairs weights by those names, so TensorFlow.js 4.22, which writes such a file, cannot load it (\"Duplicate weight name\"). " +
        `Give one of the layers another name where it is made (the name option, e.g. name: '${layer.name}_2'), then build the model and save again.`,
    );
  }
}

/**
 * Why weights cannot be paired by name when the file names two of them alike (a file tfjs wrote
 * for a model with two layers of one name), or null when every name is distinct.
 */
export function repeatedSavedNameProblem(saved: readonly NamedWeight[]): string | null {
  const seen = new Set<string>();
  const repeated = saved.find((w) => seen.has(w.name) || !seen.add(w.name))?.name;
  if (repeated === undefined) return null;
  const shapes = saved.filter((w) => w.name === repeated).map((w) => `[${w.shape.join(', ')}]`);
  return (
    `the weights manifest names ${shapes.length} weights '${repeated}' (shapes ${shapes.join(', ')}), so they cannot be paired with layers by name. ` +
    'TensorFlow.js writes such a file for a model with two layers of one name in different nested models, and cannot load it either ("Duplicate weight name")'
  );
}

/** What to do about a file whose weight names repeat. */
export const REPEATED_SAVED_NAME_FIX =
  'Rename one of the layers in the model that saved it and save it again, or build the same model in code and call model.loadWeights(source), which pairs the weights by position when names do not tell them apart.';
