import { inboundTensor, type ApplicationEnds, type Graph } from '../engine/graph.js';
import { maskEntries } from '../engine/masks.js';
import { graphEntries, listedEntries, tensorSource, type GraphEntry } from '../engine/graph_entries.js';
import { input, SymbolicTensor } from '../engine/symbolic.js';
import type { LayersModel } from '../engine/model.js';
import type { Layer } from '../layers/layer.js';
import type { DType } from '../tensor.js';
import { describe, dropUnknownInputShape, isObject, KERAS_VERSION, MODEL_CLASS_NAMES, normalizeConfig, savedLayerConfig, savedModelClassName, type Json, type TopologyLoad } from './layers_model_format.js';
import { toCamelCase } from './keras_names.js';

/** Class names Keras and tfjs give functional models ('Functional' since TF 2.4, 'Model' in tfjs). */
export const FUNCTIONAL_CLASS_NAMES: readonly string[] = ['Model', 'Functional'];

/**
 * A functional model's topology as tfjs-layers 4.22 writes it: an `InputLayer` entry per model
 * input, each layer once with one `inbound_nodes` entry per call (`[[[source, call, tensor, {}],
 * ...], ...]`, where `call` numbers the source layer's calls, so a shared layer's outputs are told
 * apart, and `tensor` picks one output of a layer with several), and the model's `input_layers` and
 * `output_layers`. Keyword inputs (an RNN's initialState) follow the positional ones in a call's
 * list with empty kwargs, as tfjs and Keras 2 write them, except those a layer names
 * ({@link Layer.savedKeyword}: MultiHeadAttention's `attention_mask`), which go in the kwargs of
 * every positional entry as `{attention_mask: [source, call, tensor]}`, as Keras 2 writes tensors
 * passed by keyword. A call applied with `{ training }` has it in the same kwargs, as Keras 2 and
 * tfjs write `layer(x, training=False)`. A model applied inside this one is one entry holding its
 * own topology's config (`nestedTopology`), one inbound node per application; tfjs and Keras 2
 * number its calls from 1 (its call 0 built it), so references to its outputs do too. The entries
 * follow the model's `layers` order, InputLayers included, as tfjs writes them.
 *
 * Outputs given as an object (Keras 3's dict outputs) stay a list in `output_layers`, which is
 * all tfjs reads (it loads the model with list outputs); their keys go beside it in `output_keys`,
 * one per entry, which kerasm reads back and tfjs ignores.
 */
export function functionalTopology(name: string, graph: Graph, inputDtypes: readonly DType[], nestedTopology: (model: LayersModel) => Json): Json {
  const entries = graphEntries(graph);
  const named = tensorSource(graph, entries);
  const source = (ref: number, tensor: number): unknown[] => {
    const [from, call, output] = named(ref, tensor);
    return [from, ref >= 0 && graph.nodes[ref].via ? call + 1 : call, output, {}];
  };
  const inputLayers = graph.inputNames.map((inputName, k) => ({
    name: inputName,
    class_name: 'InputLayer',
    config: { batch_input_shape: [null, ...graph.shownInputShape(k)], dtype: inputDtypes[k], sparse: false, name: inputName },
    inbound_nodes: [],
  }));
  const entryConfig = ({ entry, calls, applications }: GraphEntry) => {
    if (applications.length > 0) {
      const model = entry as LayersModel;
      return {
        name: model.name,
        class_name: savedModelClassName(model),
        config: nestedTopology(model).config,
        inbound_nodes: applications.map((via) => applicationNode(graph.applications.get(via)!, via.training, source)),
      };
    }
    const layer = entry as Layer;
    return {
      name: layer.name,
      class_name: layer.className,
      config: savedLayerConfig(layer),
      inbound_nodes: calls.map(([i]) => inboundNode(graph.nodes[i].inbound.map((ref, slot) => source(ref, inboundTensor(graph.nodes[i], slot))), layer, graph.nodes[i].training, graph.nodes[i].masks ?? 0, graph.nodes[i].maskedInputs)),
    };
  };
  const layers = listedEntries(graph).map((item) => ('input' in item ? inputLayers[item.input] : entryConfig(item.entry)));
  return {
    class_name: 'Model',
    config: {
      name,
      layers,
      input_layers: graph.inputNames.map((inputName) => [inputName, 0, 0]),
      output_layers: graph.outputs.map((i, k) => source(i, graph.outputTensors[k]).slice(0, 3)),
      ...(graph.outputKeys ? { output_keys: [...graph.outputKeys] } : {}),
    },
    keras_version: KERAS_VERSION,
    backend: 'kerasm',
  };
}

/**
 * One application's inbound entries, with its fixed mode and the masks given for its inputs
 * (`model.apply(x, { mask })`) in their kwargs, as Keras 2 writes `model(x, mask=m)`: one
 * `[source, call, tensor]` for a one-input model, else a list with an entry per input, null for none.
 */
function applicationNode(ends: ApplicationEnds, training: boolean | undefined, source: (ref: number, tensor: number) => unknown[]): unknown[][] {
  const kwargs: Json = modeKwargs(training);
  const masks = ends.masks?.map((m) => m && source(m[0], m[1]).slice(0, 3));
  if (masks) kwargs.mask = masks.length === 1 ? masks[0] : masks;
  return ends.inputs.map(([ref, tensor]) => [...source(ref, tensor).slice(0, 3), { ...kwargs }]);
}

/** The kwargs that save a call's fixed mode. */
function modeKwargs(training: boolean | undefined): Json {
  return training !== undefined ? { training } : {};
}

/**
 * One call's inbound entries, the inputs the layer names moved into the others' kwargs, with the
 * call's fixed mode; its last `masks` entries, masks given explicitly, go there as Keras 2 writes
 * `layer(x, mask=m)`: `{mask: [source, call, tensor]}`, a list of them for several, with null for an
 * input given none (an attention layer's `[null, valueMask]`, Keras 2's `[None, value_mask]`).
 */
function inboundNode(all: unknown[][], layer: Layer, training: boolean | undefined, masks: number, maskedInputs: readonly number[] | undefined): unknown[][] {
  const kwargs: Json = modeKwargs(training);
  const entries = all.slice(0, all.length - masks);
  const maskRefs = maskEntries(all.slice(entries.length).map((entry) => entry.slice(0, 3)), maskedInputs);
  // An attention layer's mask is always a list of at least its query's and value's entries.
  const listLength = layer.explicitMaskList ? 2 : 1;
  while (maskRefs.length > 0 && maskRefs.length < listLength) maskRefs.push(null);
  if (maskRefs.length > 0) kwargs.mask = maskRefs.length === 1 ? maskRefs[0] : maskRefs;
  const listed = entries.filter((entry, slot) => {
    const keyword = layer.savedKeyword(slot, entries.length);
    if (keyword !== null) kwargs[keyword] = entry.slice(0, 3);
    return keyword === null;
  });
  return listed.map((entry) => [...entry.slice(0, 3), { ...kwargs }]);
}

/** The symbolic inputs and outputs a saved functional topology describes, ready for `km.model`. */
export interface ParsedFunctional {
  name: string;
  inputs: SymbolicTensor[];
  /** A list, or an object for named outputs (kerasm's `output_keys`, Keras' dict `output_layers`). */
  outputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
}

/** One saved call of a layer: which call it is and the tensors (`name[call]` keys) it reads. */
interface PendingCall {
  /** A layer, or a model saved as one (applied as a whole). */
  layer: Layer | LayersModel;
  call: number;
  /** The number the references give the layer's first call: 0, or for a nested model 1 where tfjs counts the call that built it. */
  firstCall: number;
  /** Every tensor the call reads, positional and keyword. */
  inbound: string[];
  /** The positional ones. */
  args: string[];
  /** The tensors passed by keyword (Keras' names, e.g. attention_mask). */
  kwargs: Record<string, string[]>;
  /** The masks given explicitly (Keras' `mask=`), null for an input given none; absent: none. */
  mask?: (string | null)[];
  /** The call's fixed mode (saved `training` kwarg), if any. */
  training?: boolean;
  /**
   * A nested model saved with Keras' dict `output_layers`: references number its outputs in
   * sorted-key order, as Keras flattens a dict (its node's tensors), not in the dict's own order.
   */
  sortedOutputs?: boolean;
  where: string;
}

/**
 * Per source name, the highest call number the saved references use. tfjs numbers a nested model's
 * calls from 1 (its call 0 built it), Keras from 0; with the calls listed, that tells them apart.
 */
function highestCalls(layers: unknown[], outputLayers: unknown[]): Map<string, number> {
  const highest = new Map<string, number>();
  const note = (ref: unknown) => {
    if (Array.isArray(ref) && typeof ref[0] === 'string' && Number.isInteger(ref[1])) highest.set(ref[0], Math.max(highest.get(ref[0]) ?? 0, ref[1] as number));
    else if (Array.isArray(ref) || isObject(ref)) Object.values(ref).forEach(note);
  };
  for (const entry of layers) if (isObject(entry)) note(entry.inbound_nodes);
  outputLayers.forEach(note);
  return highest;
}

/** How a loaded tensor is looked up: output `tensor` of call `call` of layer `name`. */
function tensorKey(name: string, call: number, tensor = 0): string {
  return tensor === 0 ? `${name}[${call}]` : `${name}[${call}]:${tensor}`;
}

/**
 * Rebuilds a functional model's graph from its saved topology (`model` is the `{class_name,
 * config}` part), reading tfjs' and Keras 2's `inbound_nodes` and Keras 3's `keras_history` form.
 * Named outputs come from kerasm's `output_keys` or from an `output_layers` object, as Keras writes
 * a model with dict outputs. `input_layers` and `output_layers` may be one `[name, node, tensor]`, as
 * Keras 3.4+ writes them for a model built on one tensor. Every error names `source` and the layer at fault.
 */
export function functionalFromTopology(model: Json, source: string, load: TopologyLoad): ParsedFunctional {
  const config = model.config;
  if (isObject(config) && isObject(config.input_layers)) {
    throw new Error(`${source}: input_layers is a dict (Keras' dict inputs, keys ${describe(Object.keys(config.input_layers))}), and kerasm's models take their inputs as a list. Rebuild the model in Keras with a list of inputs, model = keras.Model([inputs[k] for k in sorted(inputs)], outputs), and save it again.`);
  }
  if (!isObject(config) || !Array.isArray(config.layers) || !Array.isArray(config.input_layers) || !(Array.isArray(config.output_layers) || isObject(config.output_layers))) {
    throw new Error(`${source}: a functional model's config needs 'layers', 'input_layers' and 'output_layers' arrays. Received: config=${describe(config)}.`);
  }
  const outputKeys = savedOutputKeys(config, source);
  const outputLayers = endpointList(isObject(config.output_layers) ? Object.values(config.output_layers) : config.output_layers);
  const tensors = new Map<string, SymbolicTensor>();
  let pending: PendingCall[] = [];
  const highest = highestCalls(config.layers, outputLayers);
  // Keras 3 numbers a nested Functional's calls from 0 in inbound nodes (serialize_node) but from 1 in
  // input_layers and output_layers (Functional.get_config's kept_nodes = 1, for a node Keras 3 models
  // no longer have), so its inbound references alone tell where its calls start.
  const highestInbound = highestCalls(config.layers, []);
  const endpointOffsets = new Map<string, number>();
  config.layers.forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw new Error(`${source}: layer ${i} must be {class_name, config, inbound_nodes}. Received: ${describe(entry)}.`);
    }
    const name = String(entry.name ?? entry.config.name ?? '?');
    const where = `${source}: layer ${i} '${name}' (${entry.class_name})`;
    const isModel = MODEL_CLASS_NAMES.includes(entry.class_name);
    const layerConfig = isModel ? null : { ...normalizeConfig(entry.config, where), name };
    if (entry.class_name === 'InputLayer') {
      tensors.set(tensorKey(name, 0), inputTensor(layerConfig!, name, where));
      return;
    }
    if (layerConfig) dropUnknownInputShape(layerConfig);
    const calls = inboundCalls(entry.inbound_nodes, where);
    const layer = layerConfig ? savedLayer(load, entry.class_name, layerConfig, where) : load.nested(entry, where);
    const keras3 = Array.isArray(entry.inbound_nodes) && entry.inbound_nodes.some(isObject);
    const firstCall = isModel ? Math.max(0, ((keras3 ? highestInbound : highest).get(name) ?? 0) + 1 - calls.length) : 0;
    if (isModel && keras3 && entry.class_name === 'Functional' && firstCall === 0) endpointOffsets.set(name, 1);
    const sortedOutputs = isModel && isObject(entry.config.output_layers);
    calls.forEach(({ args, kwargs, mask, training }, call) => {
      const inbound = [...args, ...Object.values(kwargs).flat(), ...(mask ?? []).filter((key) => key !== null)];
      pending.push({ layer, call: firstCall + call, firstCall, inbound, args, kwargs, ...(mask ? { mask } : {}), training, sortedOutputs, where: calls.length > 1 ? `${where}, call ${call}` : where });
    });
  });
  // Keras lists layers in creation order, which need not be an order their inputs exist in. A
  // shared layer's calls run in their saved order, so the call numbers inbound references use hold.
  const isReady = (p: PendingCall) => p.inbound.every((key) => tensors.has(key)) && (p.call === p.firstCall || tensors.has(tensorKey(p.layer.name, p.call - 1)));
  while (pending.length > 0) {
    const ready = pending.filter(isReady);
    if (ready.length === 0) {
      const stuck = pending[0];
      const missing = stuck.inbound.find((key) => !tensors.has(key)) ?? tensorKey(stuck.layer.name, stuck.call - 1);
      const [base, tensor] = missing.split(':');
      if (tensor !== undefined && tensors.has(base)) {
        const count = [...tensors.keys()].filter((key) => key === base || key.startsWith(`${base}:`)).length;
        throw new Error(`${stuck.where} reads output ${tensor} of '${base}', which has ${count} output${count === 1 ? '' : 's'} (tensor index 0${count > 1 ? `..${count - 1}` : ''}). Check its inbound_nodes: only a layer with several outputs (an RNN with return_state) has tensor indices above 0.`);
      }
      throw new Error(`${stuck.where} reads '${missing}', which no layer call of the model produces (or which depends on the layer itself). Check its inbound_nodes; references are [layer_name, call, 0].`);
    }
    for (const p of ready) {
      try {
        numberedOutputs(p, applySaved(p, (key) => tensors.get(key)!)).forEach((t, k) => tensors.set(tensorKey(p.layer.name, p.call, k), t));
      } catch (err) {
        throw new Error(`${p.where}: ${(err as Error).message}`);
      }
    }
    pending = pending.filter((p) => !ready.includes(p));
  }
  const endpoint = (what: string) => (ref: unknown): SymbolicTensor => {
    const tensor = Array.isArray(ref) && typeof ref[0] === 'string' ? tensors.get(tensorKey(ref[0], Number(ref[1] ?? 0) - (endpointOffsets.get(ref[0]) ?? 0), Number(ref[2] ?? 0))) : undefined;
    if (!tensor) throw new Error(`${source}: ${what} lists ${describe(ref)}, which is not an output of a layer call of the model. Expected [layer_name, call, tensor] naming one of: ${[...tensors.keys()].join(', ')} (name[call]:k is output k of a layer with several).`);
    return tensor;
  };
  const outputs = outputLayers.map(endpoint('output_layers'));
  return {
    name: typeof config.name === 'string' ? config.name : 'model',
    inputs: endpointList(config.input_layers).map(endpoint('input_layers')),
    outputs: outputKeys ? Object.fromEntries(outputKeys.map((key, k) => [key, outputs[k]])) : outputs,
  };
}

/** input_layers or output_layers as a list: Keras 3 (since 3.4) writes a model built on one tensor's as that one `[name, node, tensor]`. */
function endpointList(saved: unknown[]): unknown[] {
  return saved.length === 3 && typeof saved[0] === 'string' && Number.isInteger(saved[1]) ? [saved] : saved;
}

/** The keys of named outputs: an `output_layers` object's (Keras), or kerasm's `output_keys` beside the list; null for list outputs. */
function savedOutputKeys(config: Json, source: string): string[] | null {
  if (isObject(config.output_layers)) return Object.keys(config.output_layers);
  const keys = config.output_keys;
  if (keys === undefined || keys === null) return null;
  const count = endpointList(config.output_layers as unknown[]).length;
  if (!Array.isArray(keys) || keys.length !== count || !keys.every((k) => typeof k === 'string' && k !== '') || new Set(keys).size !== keys.length) {
    throw new Error(`${source}: output_keys must list a distinct, non-empty name for each of the ${count} entries of output_layers. Received: output_keys=${describe(keys)}. Fix the names, or remove output_keys to load the model with list outputs.`);
  }
  return keys as string[];
}

/** A layer from its saved class name and normalised config; errors name `where`. */
function savedLayer(load: TopologyLoad, className: string, config: Json, where: string): Layer {
  try {
    return load.layers.layer(className, config);
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

function inputTensor(config: Json, name: string, where: string): SymbolicTensor {
  const batchShape = config.batchInputShape;
  if (!Array.isArray(batchShape) || batchShape.length < 2) {
    throw new Error(`${where} needs batch_input_shape [null, ...sample shape]. Received: batch_input_shape=${describe(batchShape)}.`);
  }
  try {
    return input({ shape: batchShape.slice(1) as number[], name, dtype: config.dtype === 'int32' || config.dtype === 'int64' ? 'int32' : 'float32' });
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/**
 * A call's outputs in the order saved references number them (`[name, call, k]`). A nested model
 * with named outputs returns an object: kerasm's files number its outputs in the model's order
 * (`output_keys`), Keras' in sorted-key order (JavaScript's sort, which is Python's for names without
 * characters beyond U+FFFF).
 */
function numberedOutputs(p: PendingCall, outputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>): SymbolicTensor[] {
  if (outputs instanceof SymbolicTensor) return [outputs];
  if (Array.isArray(outputs)) return outputs;
  const order = p.sortedOutputs ? Object.keys(outputs).sort() : (p.layer as LayersModel).outputNames;
  return order.map((key) => outputs[key]);
}

/**
 * Applies a saved call: its kwargs that are keyword inputs of the layer (Keras' attention_mask,
 * initial_state) as the layer's keyword options, and a `mask` as the mask given explicitly; any
 * other tensor after the positional ones, which is how a layer reads a flat list (tfjs' initial states).
 */
function applySaved(p: PendingCall, tensorOf: (key: string) => SymbolicTensor): SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor> {
  const mode = p.training !== undefined ? { training: p.training } : {};
  const mask = p.mask && (p.mask.length === 1 ? tensorOf(p.mask[0]!) : p.mask.map((key) => (key === null ? null : tensorOf(key))));
  // A model takes its inputs' masks, one entry per input.
  if (!('keywordInputs' in p.layer)) return p.layer.apply(p.args.map(tensorOf), mask ? { ...mode, mask } : mode);
  const keywords = p.layer.keywordInputs;
  const options: Record<string, unknown> = { ...mode };
  const flat = [...p.args];
  // Keras' mask= (one tensor, or a list for an attention layer's query and value, null for one given none).
  if (mask) options.mask = mask;
  for (const [name, keys] of Object.entries(p.kwargs)) {
    const keyword = toCamelCase(name);
    if (keywords.includes(keyword)) options[keyword] = keys.map(tensorOf);
    else flat.push(...keys);
  }
  return p.layer.apply(flat.map(tensorOf), Object.keys(options).length > 0 ? options : undefined);
}

/**
 * Per call of a layer, the `name[call]` keys of the tensors it reads, positional and by keyword:
 * `[[[name, call, tensor, kwargs], ...], ...]` (tfjs, Keras 2: tensors in kwargs as `[name, call,
 * tensor]`) or Keras 3's `[{args, kwargs}, ...]`.
 */
function inboundCalls(nodes: unknown, where: string): { args: string[]; kwargs: Record<string, string[]>; mask?: (string | null)[]; training?: boolean }[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new Error(`${where} has no inbound_nodes, so nothing feeds it. Received: inbound_nodes=${describe(nodes)}. Connect it, or remove the layer from the model.`);
  }
  const keyOf = (ref: unknown) => {
    if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1]) || ref[1] < 0) {
      throw new Error(`${where}: an inbound tensor must be [layer_name, call, tensor_index]. Received: ${describe(ref)}.`);
    }
    const tensor = ref[2] ?? 0;
    if (!Number.isInteger(tensor) || tensor < 0) throw new Error(`${where}: the tensor index of an inbound tensor must be an integer ≥ 0. Received: ${describe(ref)}.`);
    return tensorKey(ref[0], ref[1], tensor);
  };
  return nodes.map((node) => {
    const refs = Array.isArray(node) ? node : isObject(node) ? kerasHistories(node.args) : [];
    // Keras 2 repeats the call's kwargs on each entry; Keras 3 gives them once.
    const savedKwargs = Array.isArray(node) ? node.map((entry) => (Array.isArray(entry) && isObject(entry[3]) ? entry[3] : {})).find((k) => Object.keys(k).length > 0) : isObject(node) ? node.kwargs : undefined;
    const kwargs: Record<string, string[]> = {};
    let mask: (string | null)[] | undefined;
    if (isObject(savedKwargs)) {
      for (const [name, value] of Object.entries(savedKwargs)) {
        if (name === 'mask') {
          const entries = maskRefs(value, Array.isArray(node));
          if (entries.some((ref) => ref !== null)) mask = entries.map((ref) => (ref === null ? null : keyOf(ref)));
          continue;
        }
        const tensors = Array.isArray(node) ? tensorRefs(value) : kerasHistories(value);
        if (tensors.length > 0) kwargs[name] = tensors.map(keyOf);
      }
    }
    if (refs.length === 0) throw new Error(`${where}: its inbound node names no input. Received: ${describe(node)}.`);
    const training = isObject(savedKwargs) && typeof savedKwargs.training === 'boolean' ? savedKwargs.training : undefined;
    return { args: refs.map(keyOf), kwargs, ...(mask ? { mask } : {}), ...(training !== undefined ? { training } : {}) };
  });
}

/**
 * A saved `mask=`: one tensor, or a list of them with null (Python's None) for an input given none,
 * as Keras 2 (`keras2`: `[name, call, tensor]` refs) or Keras 3 (keras tensors) writes it.
 */
function maskRefs(value: unknown, keras2: boolean): unknown[] {
  const one = (v: unknown): unknown => (keras2 ? (tensorRefs(v).length === 1 ? tensorRefs(v)[0] : null) : (kerasHistories(v)[0] ?? null));
  // Keras 2's ref is itself a list: `["keep", 0, 0]` is one tensor, not a list of three.
  const isList = Array.isArray(value) && (!keras2 || value.some((v) => v === null || Array.isArray(v)));
  if (!isList) return one(value) === null ? [] : [one(value)];
  return (value as unknown[]).map((v) => (v === null ? null : one(v)));
}

/** Keras 2's tensors in kwargs: one `[name, call, tensor]` or a list of them; anything else (a flag) is none. */
function tensorRefs(value: unknown): unknown[] {
  const isRef = (v: unknown) => Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]) && v.length <= 4;
  if (isRef(value)) return [value];
  return Array.isArray(value) && value.length > 0 && value.every(isRef) ? value : [];
}

/** Keras 3 writes each inbound tensor as `{class_name: '__keras_tensor__', config: {keras_history: [name, node, tensor]}}`. */
function kerasHistories(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(kerasHistories);
  if (!isObject(value)) return [];
  if (isObject(value.config) && Array.isArray(value.config.keras_history)) return [value.config.keras_history];
  return [];
}
