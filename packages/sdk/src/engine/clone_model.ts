import { InputMask } from '../layers/input_mask.js';
import { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { checkRegisteredClassName } from '../io/registered_classes.js';
import { checkConfigKeepsOptions } from '../io/custom_layer_config.js';
import { modelFromTopology } from '../io/load_model.js';
import { modelTopologyOf } from '../io/model_topology.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { Functional } from './functional.js';
import { Model } from './subclassed_model.js';
import { LayersModel, type ModelOutputs } from './model.js';
import type { Tensor } from '../tensor.js';
import { replayGraph } from './replay.js';
import { Sequential } from './sequential.js';
import { input, SymbolicTensor, type ModelApplication } from './symbolic.js';

/** Options of {@link cloneModel}. */
export interface CloneModelArgs {
  /**
   * Makes the clone's layer for each of the model's layers, once per layer (Keras' `clone_function`).
   * Default: a new layer from the layer's config, `km.layers.layerFromConfig(layer.className,
   * layer.getConfig())`. Return the layer itself to share it, and its weights, with the model.
   */
  cloneFunction?: (layer: Layer) => Layer;
  /**
   * The symbolic tensors the clone is built on, one per model input in order, instead of new
   * `km.input`s (Keras' `input_tensors`); the clone is then a functional model starting from them.
   */
  inputTensors?: SymbolicTensor | readonly SymbolicTensor[];
}

const CLONE_OPTIONS = optionNames<CloneModelArgs>({ cloneFunction: true, inputTensors: true });

/** A new layer of the same class and config, with weights of its own: `cloneModel`'s default. */
function freshLayer(layer: Layer): Layer {
  // As saving does: a config without the layer's options, or naming its parent class, would clone another layer.
  checkConfigKeepsOptions(layer);
  checkRegisteredClassName(layer, 'cloned');
  return layerFromConfig(layer.className, layer.getConfig());
}

/**
 * A new model of the same architecture (Keras' `clone_model`): the same layers and layer names,
 * with new weights drawn by their initializers, not shared with `model`, and uncompiled. Copy the
 * weights over with `clone.setWeights(model.getWeights())` when the clone should start from them.
 * A `cloneFunction` chooses each layer of the clone; `inputTensors` builds it on given inputs. The
 * clone is typed as the model is (a two-output model's clone predicts a tuple).
 *
 * @example
 * ```ts
 * const target = km.models.cloneModel(online);
 * target.setWeights(online.getWeights());
 * // The same network with less dropout, its other layers new:
 * const lighter = km.models.cloneModel(model, {
 *   cloneFunction: (layer) => (layer instanceof km.layers.Dropout ? km.layers.dropout({ rate: 0.1, name: layer.name }) : km.layers.layerFromConfig(layer.className, layer.getConfig())),
 * });
 * ```
 */
export function cloneModel(model: Sequential, args?: CloneModelArgs): LayersModel<Tensor<'float32'>>;
export function cloneModel<Out extends ModelOutputs>(model: Functional<Out>, args?: CloneModelArgs): LayersModel<Out>;
export function cloneModel(model: LayersModel, args?: CloneModelArgs): LayersModel;
// The clone's outputs are the model's, in the same form, so its predict is typed the same.
export function cloneModel(model: LayersModel, args: CloneModelArgs = {}): LayersModel {
  return cloneArchitecture(model, args);
}

function cloneArchitecture(model: LayersModel, args: CloneModelArgs): LayersModel {
  const where = `cloneModel of model '${model?.name}'`;
  if (!(model instanceof LayersModel)) throw new Error(`cloneModel expects a model (km.sequential or km.model). Received: ${model === null ? 'null' : typeof model}.`);
  checkOptions(args, CLONE_OPTIONS, 'cloneModel');
  if (args.cloneFunction === undefined && args.inputTensors === undefined) {
    for (const layer of model.allLayers) checkRegisteredClassName(layer, 'cloned');
    return modelFromTopology(modelTopologyOf(model), where);
  }
  const makeLayer = args.cloneFunction ?? freshLayer;
  if (typeof makeLayer !== 'function') throw new Error(`${where}: cloneFunction must be a function from a layer to the clone's layer. Received: ${typeof makeLayer}.`);
  const clones = new Map<Layer, Layer>();
  const cloneOf = (layer: Layer): Layer => {
    // A mask given to a nested model's application passes through an InputMask: kerasm's, with nothing to clone.
    if (layer instanceof InputMask) return layer;
    let clone = clones.get(layer);
    if (!clone) {
      clone = makeLayer(layer);
      if (!(clone instanceof Layer)) {
        throw new Error(`${where}: cloneFunction must return a layer, but for layer '${layer.name}' it returned ${clone === null ? 'null' : typeof clone}. Return a new layer, or the layer itself to share it.`);
      }
      clones.set(layer, clone);
    }
    return clone;
  };
  // A model nested inside is cloned over the same layer clones, so the clone lists it as one too.
  const nestedClones = new Map<LayersModel, LayersModel>();
  const nestedClone = (nested: LayersModel) => nestedClones.get(nested) ?? nestedClones.set(nested, cloneModel(nested, { cloneFunction: cloneOf })).get(nested)!;
  if (model instanceof Sequential && args.inputTensors === undefined) {
    return new Sequential({ layers: model.layers.map((entry) => (entry instanceof Layer ? cloneOf(entry) : nestedClone(entry))), name: model.name });
  }
  const applications = new Map<ModelApplication, ModelApplication>();
  const via = (original: ModelApplication | undefined) => {
    if (!original) return undefined;
    const made = applications.get(original) ?? { model: nestedClone(original.model), ...(original.training !== undefined ? { training: original.training } : {}) };
    applications.set(original, made);
    return made;
  };
  const inputs = args.inputTensors === undefined ? model.inputs.map((t) => input({ shape: t.shape, name: t.name })) : Array.isArray(args.inputTensors) ? [...args.inputTensors] : [args.inputTensors as SymbolicTensor];
  const tensors = new Map<SymbolicTensor, SymbolicTensor>();
  const outputs = replayGraph({ inputs: model.inputs, outputs: model.outputs }, inputs, `${where}: inputTensors`, { layerFor: cloneOf, via, tensors });
  // A nested model's output nothing reads keeps its original tensor, which the clone's graph never reaches.
  for (const [original, made] of applications) {
    if (!original.ends) continue;
    const { inputs: read, outputs: written, masks } = original.ends;
    const mapped = (t: SymbolicTensor) => tensors.get(t) ?? t;
    made.ends = { inputs: read.map(mapped), outputs: written.map(mapped), ...(masks ? { masks: masks.map((m) => m && mapped(m)) } : {}) };
  }
  // Named outputs (Keras 3's dict outputs) keep their names.
  const keys = model instanceof Functional || model instanceof Model ? model.graph.outputKeys : null;
  return new Functional({ inputs, outputs: keys ? Object.fromEntries(keys.map((key, k) => [key, outputs[k]])) : outputs, name: model.name });
}
