import { modelInputIndex, type Graph } from '../engine/graph.js';
import { input, type SymbolicTensor } from '../engine/symbolic.js';
import type { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { describe, isObject, KERAS_VERSION, normalizeConfig, savedLayerConfig, type Json } from './layers_model_format.js';

/** Class names Keras and tfjs give functional models ('Functional' since TF 2.4, 'Model' in tfjs). */
export const FUNCTIONAL_CLASS_NAMES: readonly string[] = ['Model', 'Functional'];

/**
 * A functional model's topology as tfjs-layers 4.22 writes it: an `InputLayer` entry per model
 * input, each layer once with one `inbound_nodes` entry per call (`[[[source, call, 0, {}], ...],
 * ...]`, where `call` numbers the source layer's calls, so a shared layer's outputs are told
 * apart), and the model's `input_layers` and `output_layers`.
 */
export function functionalTopology(name: string, graph: Graph): Json {
  const source = (ref: number) => (ref < 0 ? [graph.inputNames[modelInputIndex(ref)], 0, 0, {}] : [graph.nodes[ref].layer.name, graph.callIndex[ref], 0, {}]);
  const inputLayers = graph.inputNames.map((inputName, k) => ({
    name: inputName,
    class_name: 'InputLayer',
    config: { batch_input_shape: [null, ...graph.inputShapes[k]], dtype: 'float32', sparse: false, name: inputName },
    inbound_nodes: [],
  }));
  const layers = graph.layers.map((layer) => ({
    name: layer.name,
    class_name: layer.className,
    config: savedLayerConfig(layer),
    inbound_nodes: graph.nodesOf(layer).map((i) => graph.nodes[i].inbound.map(source)),
  }));
  return {
    class_name: 'Model',
    config: {
      name,
      layers: [...inputLayers, ...layers],
      input_layers: graph.inputNames.map((inputName) => [inputName, 0, 0]),
      output_layers: graph.outputs.map((i) => [graph.nodes[i].layer.name, graph.callIndex[i], 0]),
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

/** One saved call of a layer: which call it is and the tensors (`name[call]` keys) it reads. */
interface PendingCall {
  layer: Layer;
  call: number;
  inbound: string[];
  where: string;
}

/** How a loaded tensor is looked up: the output of call `call` of layer `name`. */
function tensorKey(name: string, call: number): string {
  return `${name}[${call}]`;
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
  let pending: PendingCall[] = [];
  config.layers.forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw new Error(`${source}: layer ${i} must be {class_name, config, inbound_nodes}. Received: ${describe(entry)}.`);
    }
    const name = String(entry.name ?? entry.config.name ?? '?');
    const where = `${source}: layer ${i} '${name}' (${entry.class_name})`;
    const layerConfig = normalizeConfig(entry.config, where);
    layerConfig.name = name;
    if (entry.class_name === 'InputLayer') {
      tensors.set(tensorKey(name, 0), inputTensor(layerConfig, name, where));
      return;
    }
    const calls = inboundCalls(entry.inbound_nodes, where);
    let layer: Layer;
    try {
      layer = layerFromConfig(entry.class_name, layerConfig);
    } catch (err) {
      throw new Error(`${where}: ${(err as Error).message}`);
    }
    calls.forEach((inbound, call) => pending.push({ layer, call, inbound, where: calls.length > 1 ? `${where}, call ${call}` : where }));
  });
  // Keras lists layers in creation order, which need not be an order their inputs exist in. A
  // shared layer's calls run in their saved order, so the call numbers inbound references use hold.
  const isReady = (p: PendingCall) => p.inbound.every((key) => tensors.has(key)) && (p.call === 0 || tensors.has(tensorKey(p.layer.name, p.call - 1)));
  while (pending.length > 0) {
    const ready = pending.filter(isReady);
    if (ready.length === 0) {
      const stuck = pending[0];
      const missing = stuck.inbound.find((key) => !tensors.has(key)) ?? tensorKey(stuck.layer.name, stuck.call - 1);
      throw new Error(`${stuck.where} reads '${missing}', which no layer call of the model produces (or which depends on the layer itself). Check its inbound_nodes; references are [layer_name, call, 0].`);
    }
    for (const p of ready) {
      try {
        tensors.set(tensorKey(p.layer.name, p.call), p.layer.apply(p.inbound.map((key) => tensors.get(key)!)));
      } catch (err) {
        throw new Error(`${p.where}: ${(err as Error).message}`);
      }
    }
    pending = pending.filter((p) => !ready.includes(p));
  }
  const endpoint = (what: string) => (ref: unknown): SymbolicTensor => {
    const tensor = Array.isArray(ref) && typeof ref[0] === 'string' && ref[2] === 0 ? tensors.get(tensorKey(ref[0], Number(ref[1] ?? 0))) : undefined;
    if (!tensor) throw new Error(`${source}: ${what} lists ${describe(ref)}, which is not a layer call of the model. Expected [layer_name, call, 0] naming one of: ${[...tensors.keys()].join(', ')}.`);
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

/**
 * Per call of a layer, the `name[call]` keys of the tensors it reads: `[[[name, call, 0, {}], ...],
 * ...]` (tfjs, Keras 2) or Keras 3's `[{args, kwargs}, ...]`.
 */
function inboundCalls(nodes: unknown, where: string): string[][] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new Error(`${where} has no inbound_nodes, so nothing feeds it. Received: inbound_nodes=${describe(nodes)}. Connect it, or remove the layer from the model.`);
  }
  return nodes.map((node) => {
    const refs = Array.isArray(node) ? node : isObject(node) ? kerasHistories(node.args) : [];
    if (refs.length === 0) throw new Error(`${where}: its inbound node names no input. Received: ${describe(node)}.`);
    return refs.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1]) || ref[1] < 0) {
        throw new Error(`${where}: an inbound tensor must be [layer_name, call, tensor_index]. Received: ${describe(ref)}.`);
      }
      if (ref[2] !== 0) throw new Error(`${where} reads output ${ref[2]} of '${ref[0]}'; kerasm layers have one output, so the tensor index must be 0.`);
      return tensorKey(ref[0], ref[1]);
    });
  });
}

/** Keras 3 writes each inbound tensor as `{class_name: '__keras_tensor__', config: {keras_history: [name, node, tensor]}}`. */
function kerasHistories(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(kerasHistories);
  if (!isObject(value)) return [];
  if (isObject(value.config) && Array.isArray(value.config.keras_history)) return [value.config.keras_history];
  return [];
}
