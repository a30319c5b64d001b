import { modelInputIndex, type Graph } from '../engine/graph.js';
import { input, type SymbolicTensor } from '../engine/symbolic.js';
import type { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { describe, isObject, KERAS_VERSION, normalizeConfig, savedLayerConfig, type Json } from './layers_model_format.js';

/** Class names Keras and tfjs give functional models ('Functional' since TF 2.4, 'Model' in tfjs). */
export const FUNCTIONAL_CLASS_NAMES: readonly string[] = ['Model', 'Functional'];

/**
 * A functional model's topology as tfjs-layers 4.22 writes it: an `InputLayer` entry per model
 * input, each layer with its `inbound_nodes` (`[[[source, 0, 0, {}], ...]]`), and the model's
 * `input_layers` and `output_layers`.
 */
export function functionalTopology(name: string, graph: Graph): Json {
  const source = (ref: number): string => (ref < 0 ? graph.inputNames[modelInputIndex(ref)] : graph.nodes[ref].layer.name);
  const inputLayers = graph.inputNames.map((inputName, k) => ({
    name: inputName,
    class_name: 'InputLayer',
    config: { batch_input_shape: [null, ...graph.inputShapes[k]], dtype: 'float32', sparse: false, name: inputName },
    inbound_nodes: [],
  }));
  const layers = graph.nodes.map((node) => ({
    name: node.layer.name,
    class_name: node.layer.className,
    config: savedLayerConfig(node.layer),
    inbound_nodes: [node.inbound.map((ref) => [source(ref), 0, 0, {}])],
  }));
  return {
    class_name: 'Model',
    config: {
      name,
      layers: [...inputLayers, ...layers],
      input_layers: graph.inputNames.map((inputName) => [inputName, 0, 0]),
      output_layers: graph.outputs.map((i) => [graph.nodes[i].layer.name, 0, 0]),
    },
    keras_version: KERAS_VERSION,
    backend: 'kerasm',
  };
}

/** The symbolic inputs and outputs a saved functional topology describes, ready for `km.model`. */
export interface ParsedFunctional {
  name: string;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

interface PendingLayer {
  layer: Layer;
  inbound: string[];
  where: string;
}

/**
 * Rebuilds a functional model's graph from its saved topology (`model` is the `{class_name,
 * config}` part), reading tfjs' and Keras 2's `inbound_nodes` and Keras 3's `keras_history` form.
 * Every error names `source` and the layer at fault.
 */
export function functionalFromTopology(model: Json, source: string): ParsedFunctional {
  const config = model.config;
  if (!isObject(config) || !Array.isArray(config.layers) || !Array.isArray(config.input_layers) || !Array.isArray(config.output_layers)) {
    throw new Error(`${source}: a functional model's config needs 'layers', 'input_layers' and 'output_layers' arrays. Received: config=${describe(config)}.`);
  }
  const tensors = new Map<string, SymbolicTensor>();
  let pending: PendingLayer[] = [];
  config.layers.forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw new Error(`${source}: layer ${i} must be {class_name, config, inbound_nodes}. Received: ${describe(entry)}.`);
    }
    const name = String(entry.name ?? entry.config.name ?? '?');
    const where = `${source}: layer ${i} '${name}' (${entry.class_name})`;
    const layerConfig = normalizeConfig(entry.config, where);
    layerConfig.name = name;
    if (entry.class_name === 'InputLayer') {
      tensors.set(name, inputTensor(layerConfig, name, where));
      return;
    }
    const inbound = inboundNames(entry.inbound_nodes, where);
    try {
      pending.push({ layer: layerFromConfig(entry.class_name, layerConfig), inbound, where });
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
  });
  // Keras lists layers in creation order, which need not be an order their inputs exist in.
  while (pending.length > 0) {
    const ready = pending.filter((p) => p.inbound.every((n) => tensors.has(n)));
    if (ready.length === 0) {
      const stuck = pending[0];
      throw new Error(`${stuck.where} reads '${stuck.inbound.find((n) => !tensors.has(n))}', which no layer of the model produces (or which depends on the layer itself). Check its inbound_nodes.`);
    }
    for (const p of ready) {
      try {
        tensors.set(p.layer.name, p.layer.apply(p.inbound.map((n) => tensors.get(n)!)));
      } catch (err) {
        throw new Error(`${p.where}: ${(err as Error).message}`);
      }
    }
    pending = pending.filter((p) => !ready.includes(p));
  }
  const endpoint = (what: string) => (ref: unknown): SymbolicTensor => {
    const name = Array.isArray(ref) ? ref[0] : undefined;
    const tensor = typeof name === 'string' ? tensors.get(name) : undefined;
    if (!tensor) throw new Error(`${source}: ${what} lists ${describe(ref)}, which is not a layer of the model. Expected [layer_name, 0, 0] naming one of: ${[...tensors.keys()].join(', ')}.`);
    return tensor;
  };
  return {
    name: typeof config.name === 'string' ? config.name : 'model',
    inputs: config.input_layers.map(endpoint('input_layers')),
    outputs: config.output_layers.map(endpoint('output_layers')),
  };
}

function inputTensor(config: Json, name: string, where: string): SymbolicTensor {
  const batchShape = config.batchInputShape;
  if (!Array.isArray(batchShape) || batchShape.length < 2) {
    throw new Error(`${where} needs batch_input_shape [null, ...sample shape]. Received: batch_input_shape=${describe(batchShape)}.`);
  }
  try {
    return input({ shape: batchShape.slice(1) as number[], name });
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message} kerasm needs every dimension but the batch to be known.`);
  }
}

/** The names of the layers one application reads: `[[[name, 0, 0, {}], ...]]` or Keras 3's `[{args, kwargs}]`. */
function inboundNames(nodes: unknown, where: string): string[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new Error(`${where} has no inbound_nodes, so nothing feeds it. Received: inbound_nodes=${describe(nodes)}. Connect it, or remove the layer from the model.`);
  }
  if (nodes.length > 1) {
    throw new Error(`${where} is applied ${nodes.length} times (a shared layer); kerasm applies each layer once. Build the model with one layer per call.`);
  }
  const node = nodes[0];
  const refs = Array.isArray(node) ? node : isObject(node) ? kerasHistories(node.args) : [];
  if (refs.length === 0) throw new Error(`${where}: its inbound node names no input. Received: ${describe(node)}.`);
  return refs.map((ref) => {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string') throw new Error(`${where}: an inbound tensor must be [layer_name, node_index, tensor_index]. Received: ${describe(ref)}.`);
    if (ref[1] !== 0 || ref[2] !== 0) {
      throw new Error(`${where} reads output ${ref[2]} of call ${ref[1]} of '${ref[0]}'; kerasm layers have one call and one output, so only [name, 0, 0] is supported.`);
    }
    return ref[0];
  });
}

/** Keras 3 writes each inbound tensor as `{class_name: '__keras_tensor__', config: {keras_history: [name, node, tensor]}}`. */
function kerasHistories(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(kerasHistories);
  if (!isObject(value)) return [];
  if (isObject(value.config) && Array.isArray(value.config.keras_history)) return [value.config.keras_history];
  return [];
}
