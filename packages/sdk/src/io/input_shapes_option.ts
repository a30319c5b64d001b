import { FUNCTIONAL_CLASS_NAMES } from './functional_topology.js';
import { describe, isObject, isKnownDimension, modelConfigOf, type Json } from './layers_model_format.js';
import { InputShapesError, type InputShapesProblem, type SavedInputShape } from './input_shapes_error.js';

/** `loadLayersModel`'s `inputShapes`: each model input's sample shape, by input name. */
export type InputShapes = Readonly<Record<string, readonly number[]>>;

/** A saved model input: its name, and the config holding its batch shape under `key`. */
interface SavedInput {
  name: string;
  config: Json;
  key: 'batch_input_shape' | 'batch_shape';
}

/**
 * The saved topology with the unknown dimensions (Keras' None, saved as null) of the inputs that
 * `shapes` names fixed to its sizes; the others keep theirs, which take any size. Only the
 * top-level model's inputs are read. Throws an {@link InputShapesError}, naming the input, when
 * `shapes` disagrees with a saved dimension or names no input.
 */
export function withInputShapes(topology: unknown, shapes: InputShapes | undefined, where: string): unknown {
  if (shapes !== undefined && (!isObject(shapes) || Object.values(shapes).some((s) => !Array.isArray(s)))) {
    throw new Error(`loadLayersModel: inputShapes must map input names to sample shapes, e.g. { inputShapes: { tokens: [100] } }. Received: inputShapes=${describe(shapes)}.`);
  }
  const copy = structuredClone(topology);
  const inputs = savedInputs(copy, where);
  const names = inputs.map((i) => i.name);
  const savedShapes: SavedInputShape[] = inputs.map(({ name, config, key }) => ({ name, batchShape: Array.isArray(config[key]) ? [...(config[key] as (number | null)[])] : undefined }));
  const refuse = (kind: InputShapesProblem, about: string[], message: string) => new InputShapesError({ kind, names: about, inputs: savedShapes }, message);
  const stray = Object.keys(shapes ?? {}).filter((name) => !names.includes(name));
  if (stray.length > 0) {
    throw refuse('unknownInput', stray, `loadLayersModel: inputShapes names ${stray.map((n) => `'${n}'`).join(', ')}, but the inputs of ${where} are ${names.map((n) => `'${n}'`).join(', ') || 'none it can find'}. Key each shape by one of those names.`);
  }
  for (const { name, config, key } of inputs) {
    const saved = config[key];
    if (!Array.isArray(saved) || saved.length < 2) continue; // the layers' own checks name what is missing
    const sample = saved.slice(1) as unknown[];
    const given = shapes?.[name];
    if (given === undefined) continue;
    const fits = given.length === sample.length && given.every((d, k) => isKnownDimension(d) && (!isKnownDimension(sample[k]) || d === sample[k]));
    if (!fits) {
      throw refuse(
        'shapeMismatch',
        [name],
        `loadLayersModel: inputShapes.${name} must be the sample shape of input '${name}', saved as ${keras(saved)}, with a positive size for each unknown dimension and the saved size for the others. Received: ${JSON.stringify(given)}.`,
      );
    }
    config[key] = [saved[0], ...given];
  }
  return copy;
}

/** A saved batch shape as Keras prints it: `(None, None, 8)`. */
function keras(shape: readonly unknown[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** The inputs of a saved model: a functional model's InputLayers, or what starts a Sequential one. */
function savedInputs(topology: unknown, where: string): SavedInput[] {
  const model = modelConfigOf(topology, where);
  const config = Array.isArray(model.config) ? { layers: model.config } : model.config;
  if (!isObject(config) || !Array.isArray(config.layers)) return [];
  const entries = config.layers.filter((e): e is Json & { config: Json } => isObject(e) && isObject(e.config));
  const inputOf = (entry: Json & { config: Json }, name: string): SavedInput => ({ name, config: entry.config, key: entry.config.batch_shape !== undefined ? 'batch_shape' : 'batch_input_shape' });
  if (FUNCTIONAL_CLASS_NAMES.includes(String(model.class_name))) {
    return entries.filter((e) => e.class_name === 'InputLayer').map((e) => inputOf(e, String(e.config.name ?? e.name)));
  }
  const first = entries[0];
  if (first === undefined) return [];
  // kerasm and tfjs name a Sequential model's input after its first layer when no InputLayer gives one.
  return [inputOf(first, first.class_name === 'InputLayer' ? String(first.config.name) : `${String(first.config.name)}_input`)];
}
