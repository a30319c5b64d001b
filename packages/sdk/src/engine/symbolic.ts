import type { Layer, Shape } from '../layers/layer.js';
import type { DType } from '../tensor.js';
import type { LayersModel } from './model.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { checkExplicitMasks, maskEntries } from './masks.js';
import { probedShape, shownShape, tracedAtProbe, unknownOutputAxes, type SampleShape } from './unknown_dims.js';

/**
 * One call of a layer on symbolic tensors (Keras' node): what it read, positional inputs first and
 * then keyword inputs (an RNN's initialState), and every output it made.
 */
export interface SymbolicCall {
  readonly layer: Layer;
  readonly inbound: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** The mode the call always runs in (Keras' `layer(x, training=False)`); absent: the pass's (fit trains, predict infers). */
  readonly training?: boolean;
  /** The application of a model as a layer that made this call, if one did. */
  readonly via?: ModelApplication;
  /**
   * How many of the last inbound tensors are explicit masks (`apply(x, { mask })`): the masks of the
   * first positional inputs, in order, given instead of any they carry. Absent: none.
   */
  readonly masks?: number;
  /** The input each explicit mask is for, where a list gave some input none (`[null, valueMask]`); absent: the first `masks` inputs. */
  readonly maskedInputs?: readonly number[];
}

/**
 * One application of a model inside another (Keras' `base(x)`): the calls it makes share this
 * object, so the larger model lists, sums up, summarises and saves them as the model.
 */
export interface ModelApplication {
  readonly model: LayersModel;
  /** The mode the application fixed (`base.apply(x, { training })`), if any. */
  readonly training?: boolean;
  /** The tensors it was applied on and those it made, in the model's input and output order, once made (`apply`; a Sequential model's stacked models have none). */
  ends?: { readonly inputs: readonly SymbolicTensor[]; readonly outputs: readonly SymbolicTensor[]; readonly masks?: readonly (SymbolicTensor | null)[] };
}

/** How a symbolic call is made: its fixed mode, and the model application it belongs to. */
export interface CallOptions {
  readonly training?: boolean;
  readonly via?: ModelApplication;
  /** How many of the last inputs are explicit masks (see {@link SymbolicCall.masks}). */
  readonly masks?: number;
  /** The input each explicit mask is for (see {@link SymbolicCall.maskedInputs}). */
  readonly maskedInputs?: readonly number[];
}

/**
 * Where a symbolic tensor comes from: a model input, or output `outputIndex` of a layer's call
 * (Keras' tensor index; 0 but for a layer with several outputs).
 */
export type SymbolicSource =
  | { readonly kind: 'input'; readonly name: string; readonly dtype: DType }
  | { readonly kind: 'layer'; readonly layer: Layer; readonly inbound: readonly SymbolicTensor[]; readonly call: SymbolicCall; readonly outputIndex: number };

/**
 * A placeholder for data in the functional API: it has a shape (no batch dimension) and remembers
 * how it was computed, so `km.model({ inputs, outputs })` can trace the graph.
 */
export class SymbolicTensor {
  constructor(
    /**
     * @internal The shape of one sample as the layers were built and traced for it: a dimension
     * of unknown size has the probe size there ({@link PROBE_SIZE}).
     */
    readonly tracedShape: Shape,
    readonly source: SymbolicSource,
    /** @internal The axes of one sample whose size is unknown (null in {@link shape}). */
    readonly unknownAxes: readonly number[] = [],
  ) {}

  /**
   * Shape of one sample, without the batch dimension, as tfjs' `shape` after its leading null: null
   * for a dimension whose size the data decides (Keras' None), such as the steps of
   * `km.input({ shape: [null, 8] })` and of the layers' outputs that follow them.
   */
  get shape(): SampleShape {
    return shownShape(this.tracedShape, this.unknownAxes);
  }

  /** The input's name, or the name of the layer that produced this tensor. */
  get name(): string {
    return this.source.kind === 'input' ? this.source.name : this.source.layer.name;
  }

  /** The dtype a model input declares (see {@link InputArgs.dtype}); layers output float32. */
  get dtype(): DType {
    return this.source.kind === 'input' ? this.source.dtype : 'float32';
  }

  /**
   * The number of axes, counting the batch axis as tfjs does: 2 for `km.input({ shape: [784] })`,
   * whose {@link shape} `[784]` leaves the batch out.
   */
  get rank(): number {
    return this.shape.length + 1;
  }

  /**
   * The layer that made the tensor, as tfjs' `sourceLayer`: for a model input, its
   * {@link InputLayer} (the one `model.layers` lists).
   *
   * @example
   * ```ts
   * const x = km.input({ shape: [3] });
   * km.layers.dense({ units: 2, name: 'd' }).apply(x).sourceLayer.name; // 'd'
   * x.sourceLayer.getClassName(); // 'InputLayer'
   * ```
   */
  get sourceLayer(): Layer {
    return this.source.kind === 'layer' ? this.source.layer : inputLayerOf(this);
  }
}

/** Gives a model input's InputLayer; layers/input_layer.ts sets it, as that module imports this one. */
let inputLayerOf: (tensor: SymbolicTensor) => Layer = () => {
  throw new Error('kerasm internal error: the InputLayer module is not loaded.');
};

/** Called once by layers/input_layer.ts with its `InputLayer.of`. */
export function setInputLayerOf(of: (tensor: SymbolicTensor) => Layer): void {
  inputLayerOf = of;
}

/** Options of {@link input}. */
export interface InputArgs {
  /**
   * Shape of one sample, without the batch dimension, e.g. `[28, 28, 1]`; null for a dimension of
   * any size, as Keras' None: `[null, 8]` for sequences of any length. Give it or `batchShape`.
   */
  shape?: readonly (number | null)[];
  /** tfjs' and Keras' form of the shape with the batch first, which must be null (any batch size): `[null, 28, 28, 1]`. */
  batchShape?: readonly (number | null)[];
  /** Name shown in summaries and errors (default `input_1`, `input_2`, ...). */
  name?: string;
  /**
   * `'int32'` declares token or class ids, as tfjs' and Keras' inputs do for an Embedding; it is
   * saved with the model. kerasm feeds every input as float32 either way (ids are whole numbers,
   * exact up to 2^24), and takes int32 or float32 tensors for it. Default `'float32'`.
   */
  dtype?: DType;
}

let inputCount = 0;

/**
 * A model input for the functional API.
 *
 * @example
 * ```ts
 * const x = km.input({ shape: [784] });
 * const y = km.layers.dense({ units: 10, activation: 'softmax' }).apply(x);
 * const model = km.model({ inputs: x, outputs: y });
 * ```
 */
export function input(args: InputArgs): SymbolicTensor {
  checkOptions(args, optionNames<InputArgs>({ shape: true, batchShape: true, name: true, dtype: true }), 'km.input');
  if (args?.shape !== undefined && args.batchShape !== undefined) throw new Error(`km.input takes shape or batchShape, not both: { shape: [28, 28, 1] } is { batchShape: [null, 28, 28, 1] }.`);
  const shape = args?.shape ?? sampleShapeOf(args?.batchShape);
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
    throw new Error(`km.input expects shape to be a non-empty list of positive integers (no batch dimension), or null for a dimension of any size, e.g. { shape: [28, 28, 1] } or { shape: [null, 8] }. Received: shape=${JSON.stringify(shape)}.`);
  }
  const dtype = args.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') {
    const wider: Readonly<Record<string, string>> = { int64: 'int32', float64: 'float32' };
    const text =
      (dtype as string) === 'string'
        ? " kerasm's tensors hold no strings: turn text into token ids before the model with km.layers.textVectorization, and give the model an int32 input of those ids."
        : wider[dtype as string]
          ? ` kerasm's tensors are 32-bit: declare dtype '${wider[dtype as string]}' (token ids and category indices fit in it).`
          : '';
    throw new Error(`km.input dtype must be 'float32' or 'int32' (ids for an Embedding). Received: dtype=${JSON.stringify(dtype)}.${text}`);
  }
  const probed = probedShape(shape);
  return new SymbolicTensor(probed.shape, { kind: 'input', name: args.name ?? `input_${++inputCount}`, dtype }, probed.unknownAxes);
}

function sampleShapeOf(batchShape: InputArgs['batchShape']): readonly (number | null)[] | undefined {
  if (batchShape === undefined) return undefined;
  if (!Array.isArray(batchShape) || batchShape[0] !== null) {
    throw new Error(`km.input's batchShape starts with null, the batch size, which kerasm leaves free: { batchShape: [null, 28, 28, 1] }, or { shape: [28, 28, 1] }. Received: batchShape=${JSON.stringify(batchShape)}.`);
  }
  return batchShape.slice(1);
}

/**
 * `layer.apply(...)`: validates the inputs, infers the output shape, builds the layer at its first
 * call. Calling one layer again makes it shared: a new node with the same weights. A `training`
 * flag fixes the call's mode whatever the pass.
 */
export function applyLayer(layer: Layer, inputs: readonly SymbolicTensor[], options: CallOptions = {}): SymbolicTensor | SymbolicTensor[] {
  inputs.forEach((x, i) => {
    if (!(x instanceof SymbolicTensor)) {
      const received = x === null ? 'null' : typeof x === 'object' ? (x as object).constructor?.name ?? 'object' : typeof x;
      throw new Error(`Layer '${layer.name}'.apply expects symbolic tensors from km.input(...) or another layer's apply(...), or km.Tensor data to compute now, but input ${i} is ${received}. Pass km.input({ shape }) to build a model, or km.tensor(values, shape) to run the layer on data.`);
    }
  });
  const shapes = inputs.map((x) => x.tracedShape);
  // Masks given explicitly come last (`apply(x, { mask })`); the layer is built for its inputs alone.
  const masks = options.masks ?? 0;
  const inputShapes = shapes.slice(0, shapes.length - masks);
  const inputUnknownAxes = inputs.map((x) => x.unknownAxes);
  const outputShapes = tracedAtProbe(inputUnknownAxes, () => buildForCall(layer, inputShapes));
  if (masks > 0) checkExplicitMasks(layer, inputShapes, maskEntries(shapes.slice(-masks), options.maskedInputs));
  const unknownAxes = tracedAtProbe(inputUnknownAxes, () => unknownOutputAxes(layer, inputShapes, inputUnknownAxes, outputShapes));
  const outputs = layerOutputs(layer, inputs, outputShapes, options, unknownAxes);
  return outputs.length === 1 ? outputs[0] : outputs;
}

/**
 * Checks one call's input shapes (no batch dimension) and builds the layer at its first call;
 * returns the output shape. Symbolic and concrete `apply` both go through here.
 */
export function buildForCall(layer: Layer, shapes: readonly Shape[]): Shape[] {
  // A built layer first checks the call against the shapes it was built for, so a shared layer's
  // mismatch is reported as such rather than as one of the layer's own shape rules.
  if (layer.built) layer.ensureBuilt(shapes);
  const outputShapes = layer.computeOutputShapes(shapes);
  layer.ensureBuilt(shapes);
  return outputShapes;
}

/** Each layer's calls (Keras' inbound nodes), in call order. */
const calls = new WeakMap<Layer, SymbolicCall[]>();

/** The outputs of one more call of a built layer, on `inbound`, recorded as the layer's latest call. */
export function layerOutputs(layer: Layer, inbound: readonly SymbolicTensor[], shapes: readonly Shape[], { training, via, masks, maskedInputs }: CallOptions = {}, unknownAxes?: readonly (readonly number[])[]): SymbolicTensor[] {
  const outputs: SymbolicTensor[] = [];
  const call: SymbolicCall = {
    layer, inbound: [...inbound], outputs,
    ...(training !== undefined ? { training } : {}), ...(via ? { via } : {}), ...(masks ? { masks } : {}), ...(masks && maskedInputs ? { maskedInputs } : {}),
  };
  shapes.forEach((shape, outputIndex) => outputs.push(new SymbolicTensor(shape, { kind: 'layer', layer, inbound: call.inbound, call, outputIndex }, unknownAxes?.[outputIndex])));
  calls.set(layer, [...(calls.get(layer) ?? []), call]);
  recorders.at(-1)?.push(call);
  return outputs;
}

/** The calls {@link callsMadeBy} collects, innermost last: a model built inside another's trace records its own. */
const recorders: SymbolicCall[][] = [];

/** What `run` returns, and every symbolic layer call it made (those of models it built aside). */
export function callsMadeBy<T>(run: () => T): { value: T; calls: SymbolicCall[] } {
  const made: SymbolicCall[] = [];
  recorders.push(made);
  try {
    return { value: run(), calls: made };
  } finally {
    recorders.pop();
  }
}

/** Removes `dropped` from their layers' calls: calls traced for a graph no model keeps (a km.Model's trace of `call` for a mode it serves with another). */
export function forgetCalls(dropped: readonly SymbolicCall[]): void {
  const gone = new Set(dropped);
  for (const layer of new Set(dropped.map((call) => call.layer))) calls.set(layer, (calls.get(layer) ?? []).filter((call) => !gone.has(call)));
}

/**
 * The layer's calls (Keras' and tfjs' inbound nodes): through `apply` or in a Sequential model, in
 * the model it was built in. The calls made since by applying a model that holds it inside another
 * (`outer.apply(x)` running `base`, `km.sequential([base, head])`) are left out, as tfjs runs a
 * nested model without new nodes on its layers, so `base.getLayer('h1').output` stays base's.
 */
export function layerCalls(layer: Layer): readonly SymbolicCall[] {
  const all = calls.get(layer) ?? [];
  // The first call is where the layer was built: directly, or inside a stacked model it came with.
  return all.filter((call) => call.via === undefined || call.via === all[0].via);
}
