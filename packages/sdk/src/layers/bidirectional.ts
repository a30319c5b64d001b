import type { Backend, BufferId } from '../backend/backend.js';
import { sameShape, shapeSize } from '../tensor.js';
import type { BackwardContext, ForwardContext, Layer, Shape } from './layer.js';
import { formatShape, singleInput } from './layer_shapes.js';
import { isRecurrentLayer, type RecurrentLayer } from './recurrent_layer.js';
import { layerFromConfig, registerBuiltinLayer } from './registry.js';
import { innerLayerFromConfig, Wrapper, type WrapperArgs } from './wrapper.js';
import { BIDIRECTIONAL_OPTIONS, checkRequiredOptions } from './layer_options.js';
import type { MayReturnList, ReturnsList } from './list_outputs.js';
import { CallCellRNN } from './call_cell_rnn.js';

/** How {@link Bidirectional} combines the two directions' outputs. */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MERGE_MODES: readonly string[] = ['concat', 'sum', 'mul', 'ave'];

/** Options of {@link Bidirectional}, as TensorFlow.js takes them. */
export interface BidirectionalArgs extends Omit<WrapperArgs, 'layer'> {
  /**
   * The recurrent layer to run in both directions (LSTM, GRU, SimpleRNN, or RNN over cells, custom
   * cells' classes registered with `km.layers.registerCell`), made with or without `returnState`.
   */
  layer: Layer;
  /**
   * How the two outputs combine (default 'concat', which doubles the last dimension); null returns
   * both, `[forward, backward]` (the backward sequence in time order), as tfjs and Keras do.
   */
  mergeMode?: BidirectionalMergeMode | null;
  /**
   * The layer to run backwards (Keras' `backward_layer`); by default a copy of `layer` with
   * `goBackwards` flipped. As in Keras it may be another class (a GRU behind an LSTM), with the
   * opposite `goBackwards`, the same `returnSequences`, `returnState` and `stateful`, and an output
   * of the same shape. TensorFlow.js 4.22 cannot load a model saved with it.
   */
  backwardLayer?: Layer;
}

/**
 * Runs a recurrent layer (LSTM, GRU, SimpleRNN, ConvLSTM2D, or an RNN over cells) over the
 * sequence in both directions and merges the two outputs (Keras' Bidirectional): a forward copy
 * of `layer` (named `forward_<name>`) and a backward copy with `goBackwards` flipped
 * (`backward_<name>`), each made from the layer's config, so an RNN over custom cells
 * ({@link CallCell}) runs each copy over a new cell made from the cell's config, its class
 * registered with {@link registerCell}. Each copy has its own weights, saved as TensorFlow.js names them
 * (`bidirectional/forward_lstm/kernel`, ...). With `returnSequences` the backward
 * copy's output is put back in time order before merging, so step t of the output sees the whole
 * sequence.
 *
 * With `returnState` on the wrapped layer the outputs are `[merged, ...forwardStates,
 * ...backwardStates]` (Keras' order; `[forward, backward, ...states]` with mergeMode null), and
 * `apply(x, { initialState })` takes the forward layer's states then the backward one's. A
 * `backwardLayer` of another class brings its own states (an LSTM's h and c, then a GRU's h).
 *
 * @example
 * ```ts
 * const model = km.sequential([
 *   km.layers.embedding({ inputDim: 10000, outputDim: 64, inputShape: [100] }),
 *   km.layers.bidirectional({ layer: km.layers.lstm({ units: 64 }) }), // → [128]
 *   // or over cells: km.layers.bidirectional({ layer: km.layers.rnn({ cell: km.layers.lstmCell({ units: 64 }) }) })
 *   km.layers.dense({ units: 1, activation: 'sigmoid' }),
 * ]);
 * // Another class backwards, as Keras allows:
 * km.layers.bidirectional({ layer: km.layers.lstm({ units: 8 }), backwardLayer: km.layers.gru({ units: 8, goBackwards: true }) });
 * // Both directions' final states, e.g. to start a decoder:
 * const [merged, hF, cF, hB, cB] = km.layers.bidirectional({ layer: km.layers.lstm({ units: 16, returnState: true }) })
 *   .apply(km.input({ shape: [10, 4] }));
 * ```
 */
export class Bidirectional extends Wrapper {
  readonly className = 'Bidirectional';
  readonly mergeMode: BidirectionalMergeMode | null;
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly #givenBackwardLayer: RecurrentLayer | undefined;
  /** Steps, and floats per sample of one direction's output and of the input. */
  #steps = 0;
  #outSize = 0;
  /** The output's last axis, which concat doubles: units, or ConvLSTM2D's filters per pixel. */
  #outChannels = 0;
  #inSize = 0;
  /** The shapes of the call that builds the layer: the sequence's, then any initial states'. */
  #callShapes: readonly Shape[] = [];

  constructor(args: BidirectionalArgs) {
    super(args, 'Bidirectional');
    const layer = this.#recurrent(args.layer, 'layer');
    this.mergeMode = this.#mergeMode(args.mergeMode);
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    const config = layer.getConfig();
    this.forwardLayer = layerFromConfig(layer.className, { ...config, name: `forward_${layer.name}` }) as RecurrentLayer;
    if (args.backwardLayer === undefined) {
      this.backwardLayer = layerFromConfig(layer.className, { ...config, name: `backward_${layer.name}`, goBackwards: !layer.goBackwards }) as RecurrentLayer;
    } else {
      const given = this.#recurrent(args.backwardLayer as Layer, 'backwardLayer');
      this.#checkBackwardLayer(layer, given);
      this.#givenBackwardLayer = given;
      this.backwardLayer = layerFromConfig(given.className, given.getConfig()) as RecurrentLayer;
    }
  }

  #recurrent(layer: Layer, option: string): RecurrentLayer {
    if (!isRecurrentLayer(layer)) {
      throw new Error(`${this.where}: ${option} must be a recurrent layer (km.layers.lstm, gru, simpleRNN or rnn), which can run backwards over the steps. Received: ${option}=${layer.className} layer '${layer.name}'. ` +
        `To apply a ${layer.className} to every step of a sequence, use km.layers.timeDistributed({ layer }).`);
    }
    if (layer.activityRegularizer) {
      throw new Error(`${this.where}: the wrapped layer's activityRegularizer is not supported (the Bidirectional output is the merge of two layers' outputs, not the wrapped layer's). Received: ${option} '${layer.name}' with an activityRegularizer. Remove it from the wrapped layer.`);
    }
    // The copies run new cells, made as loading makes them.
    if (layer instanceof CallCellRNN) {
      layer.checkCellsRegistered(`${this.where} could not make its copies of ${option}, each over a new cell made from the cell's config`, 'before making the Bidirectional layer (and before loading it)');
    }
    return layer;
  }

  #mergeMode(mode: unknown): BidirectionalMergeMode | null {
    if (mode === undefined) return 'concat';
    if (mode === null) return null;
    if (typeof mode !== 'string' || !MERGE_MODES.includes(mode)) {
      throw new Error(`${this.where}: mergeMode must be one of 'concat', 'sum', 'mul', 'ave', or null for both directions as two outputs. Received: mergeMode=${JSON.stringify(mode)}.`);
    }
    return mode as BidirectionalMergeMode;
  }

  // Keras 3's checks; the class may differ (the output shapes are compared once the input's is known).
  #checkBackwardLayer(layer: RecurrentLayer, backward: RecurrentLayer): void {
    const agree = (option: 'returnSequences' | 'returnState' | 'stateful') =>
      Boolean(backward[option]) !== Boolean(layer[option]) ? `${option} is ${backward[option]} on it and ${layer[option]} on layer; they must agree` : '';
    const mismatch = backward.goBackwards === layer.goBackwards ? `both have goBackwards: ${layer.goBackwards}; backwardLayer needs goBackwards: ${!layer.goBackwards}`
      : agree('returnSequences') || agree('returnState') || agree('stateful');
    if (mismatch) throw new Error(`${this.where}: backwardLayer '${backward.name}' does not match layer '${layer.name}': ${mismatch}. Received: backwardLayer=${backward.className} layer '${backward.name}'.`);
  }

  protected get innerLayers(): readonly Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  // tfjs and Keras take the two directions' initial states as one keyword input, forward ones first.
  override get keywordInputs(): readonly string[] {
    return ['initialState'];
  }

  /** The call's inputs split: the sequence, each direction's initial states (the forward layer's first). */
  #split<T>(inputs: readonly T[]): { sequence: T[]; forward: T[]; backward: T[] } {
    const states = inputs.slice(1);
    const [f, b] = [this.forwardLayer.stateCountKeras, this.backwardLayer.stateCountKeras];
    if (states.length > 0 && states.length !== f + b) {
      throw new Error(`${this.where} takes the initial states of both directions, ${f + b} in all (the forward layer's ${f}, then the backward layer's ${b}), but received ${states.length}. ` +
        `Pass initialState: [...forwardStates, ...backwardStates], e.g. the states another Bidirectional with returnState returned.`);
    }
    return { sequence: inputs.slice(0, 1), forward: states.slice(0, f), backward: states.slice(f) };
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    return this.computeOutputShapes(inputShapes)[0];
  }

  /** The merged output (both directions with mergeMode null), then with returnState the forward states and the backward ones. */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const { sequence, forward, backward } = this.#split(inputShapes);
    const [shape, ...forwardStates] = this.forwardLayer.computeOutputShapes([...sequence, ...forward]);
    const [backwardShape, ...backwardStates] = this.backwardLayer.computeOutputShapes([...sequence, ...backward]);
    if (!sameShape(shape, backwardShape)) {
      throw new Error(`${this.where}: its two directions must give outputs of one shape to merge them, but the forward layer '${this.forwardLayer.name}' gives ${formatShape(shape)} ` +
        `and backwardLayer '${this.backwardLayer.name}' gives ${formatShape(backwardShape)}. Give backwardLayer the units (or filters) of layer.`);
    }
    const outputs = this.mergeMode === 'concat' ? [[...shape.slice(0, -1), 2 * shape[shape.length - 1]]] : this.mergeMode === null ? [shape, shape] : [shape];
    return [...outputs, ...forwardStates, ...backwardStates];
  }

  protected override weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    return callShapes.slice(0, 1);
  }

  /** Outputs before the states: 2 with mergeMode null, else 1. */
  get #merged(): number {
    return this.mergeMode === null ? 2 : 1;
  }

  // An RNN over custom cells reads its call's inputs with the shapes it was first built for, so each
  // direction is built for its own call: the sequence and its initial states.
  override ensureBuilt(callShapes: readonly Shape[]): void {
    this.#callShapes = callShapes;
    super.ensureBuilt(callShapes);
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const outputShape = this.forwardLayer.computeOutputShape(inputShapes);
    const input = singleInput(this, inputShapes);
    [this.#steps, this.#outSize, this.#inSize] = [input[0], shapeSize(outputShape), shapeSize(input)];
    this.#outChannels = outputShape[outputShape.length - 1];
    const directions = this.#directions(this.#callShapes, []);
    this.innerLayers.forEach((inner, k) => {
      inner.ensureBuilt(directions[k].inputs);
      this.addInnerWeights(inner, inner.name);
    });
  }

  /**
   * Floats per batch row of each workspace region, in order: the forward output, the backward
   * output as it runs (reversed with returnSequences), the same in time order, the two output
   * gradients in time order, the backward one as it runs, and the backward layer's input gradient.
   */
  #regions(): number[] {
    const reversed = this.returnSequences ? this.#outSize : 0;
    return [this.#outSize, this.#outSize, reversed, this.#outSize, this.#outSize, reversed, this.#inSize];
  }

  override workspaceSize(batch: number): number {
    return batch * this.#regions().reduce((a, b) => a + b, 0) + this.innerLayers.reduce((sum, l) => sum + l.workspaceSize(batch), 0);
  }

  #layout(backend: Backend, workspace: BufferId, batch: number) {
    const sizes = [...this.#regions().map((s) => s * batch), ...this.innerLayers.map((l) => l.workspaceSize(batch))];
    let start = 0;
    const [yF, yRun, yTime, dF, dTime, dRun, dx, wsF, wsB] = sizes.map((size) => {
      const view = size > 0 ? backend.view(workspace, start, size) : 0;
      start += size;
      return view;
    });
    // Without returnSequences there is one step, so running order is time order.
    return { yF, yRun, yB: this.returnSequences ? yTime : yRun, dF, dB: dTime, dRun: this.returnSequences ? dRun : dTime, dx, wsF, wsB };
  }

  /** Copies `[batch, steps, units]` with step s to step steps − 1 − s. */
  #reverseSteps(backend: Backend, src: BufferId, dst: BufferId, batch: number): void {
    const [t, u] = [this.#steps, this.#outSize / this.#steps];
    const span = (batch - 1) * t * u + u;
    for (let s = 0; s < t; s++) backend.copyRows(backend.view(src, s * u, span), t * u, backend.view(dst, (t - 1 - s) * u, span), t * u, batch, u);
  }

  /** Each direction's slice of the call's inputs and state outputs (and their gradients). */
  #directions<T>(inputs: readonly T[], outputs: readonly T[]): { inputs: [T, ...T[]]; states: T[] }[] {
    const { sequence, forward, backward } = this.#split(inputs);
    const states = outputs.slice(this.#merged);
    const f = this.forwardLayer.stateCountKeras;
    return [
      // The sequence is always there: the first input.
      { inputs: [...sequence, ...forward] as [T, ...T[]], states: states.slice(0, f) },
      { inputs: [...sequence, ...backward] as [T, ...T[]], states: states.slice(f) },
    ];
  }

  /**
   * Keras 3's Bidirectional sets its layers' `zero_output_for_mask` to `return_sequences`, so each
   * direction's output is 0 at masked steps (where a lone recurrent layer repeats the previous
   * step's output). ConvLSTM2D's per-pixel mask does not line up with its output's rows: it keeps
   * the repeated output.
   */
  #zeroesMaskedSteps(ctx: ForwardContext | BackwardContext): boolean {
    return ctx.inputMask !== 0 && this.#zeroesOutputOf(this.forwardLayer);
  }

  #zeroesOutputOf(direction: RecurrentLayer): boolean {
    return this.returnSequences && direction.passesMask;
  }

  /**
   * Keras 3 saves the `zero_output_for_mask: true` it sets on a sequence-returning layer, which
   * kerasm's Bidirectional computes (a ConvLSTM2D's excepted, see above): such a config loads.
   */
  override setsInnerConfigKey(path: readonly (string | number)[], value: unknown): boolean {
    const [option, envelope, key] = path;
    if (path.length !== 3 || envelope !== 'config' || key !== 'zeroOutputForMask' || value !== true) return false;
    const direction = option === 'layer' ? this.forwardLayer : option === 'backwardLayer' ? this.backwardLayer : undefined;
    return direction !== undefined && this.#zeroesOutputOf(direction);
  }

  forward(ctx: ForwardContext): void {
    const { backend, batch, weights } = ctx;
    const w = this.#layout(backend, ctx.workspace, batch);
    const [f, b] = this.#directions(ctx.inputs, ctx.outputs);
    this.forwardLayer.forward({ ...ctx, inputs: f.inputs, output: w.yF, outputs: [w.yF, ...f.states], workspace: w.wsF, weights: this.slice(weights, 0) });
    this.backwardLayer.forward({ ...ctx, inputs: b.inputs, output: w.yRun, outputs: [w.yRun, ...b.states], workspace: w.wsB, weights: this.slice(weights, 1) });
    if (this.returnSequences) this.#reverseSteps(backend, w.yRun, w.yB, batch);
    if (this.#zeroesMaskedSteps(ctx)) for (const y of [w.yF, w.yB]) backend.maskSelectRows(ctx.inputMask, y, 0, batch * this.#steps, this.#outSize / this.#steps);
    const n = batch * this.#outSize;
    switch (this.mergeMode) {
      case null:
        backend.copy(w.yF, ctx.outputs[0], n);
        backend.copy(w.yB, ctx.outputs[1], n);
        break;
      case 'concat': {
        const u = this.#outChannels;
        const rows = n / u;
        backend.copyRows(w.yF, u, ctx.output, 2 * u, rows, u);
        backend.copyRows(w.yB, u, backend.view(ctx.output, u, 2 * n - u), 2 * u, rows, u);
        break;
      }
      case 'sum':
        backend.add(w.yF, w.yB, ctx.output, n);
        break;
      case 'ave':
        backend.add(w.yF, w.yB, ctx.output, n);
        backend.scale(ctx.output, n, 0.5);
        break;
      case 'mul':
        backend.mul(w.yF, w.yB, ctx.output, n);
        break;
    }
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch, weights, weightGrads, outputGrad } = ctx;
    const w = this.#layout(backend, ctx.workspace, batch);
    const n = batch * this.#outSize;
    switch (this.mergeMode) {
      case null:
        backend.copy(ctx.outputGrads[0], w.dF, n);
        backend.copy(ctx.outputGrads[1], w.dB, n);
        break;
      case 'concat': {
        const u = this.#outChannels;
        const rows = n / u;
        backend.copyRows(outputGrad, 2 * u, w.dF, u, rows, u);
        backend.copyRows(backend.view(outputGrad, u, 2 * n - u), 2 * u, w.dB, u, rows, u);
        break;
      }
      case 'sum':
      case 'ave':
        backend.copy(outputGrad, w.dF, n);
        if (this.mergeMode === 'ave') backend.scale(w.dF, n, 0.5);
        backend.copy(w.dF, w.dB, n);
        break;
      case 'mul':
        backend.mul(outputGrad, w.yB, w.dF, n);
        backend.mul(outputGrad, w.yF, w.dB, n);
        break;
    }
    // A zeroed step's output is a constant: nothing flows back through it.
    if (this.#zeroesMaskedSteps(ctx)) for (const d of [w.dF, w.dB]) backend.maskSelectRowsGrad(ctx.inputMask, d, 0, batch * this.#steps, this.#outSize / this.#steps);
    if (this.returnSequences) this.#reverseSteps(backend, w.dB, w.dRun, batch);
    const inputGrad = ctx.inputGrads[0];
    const [f, b] = this.#directions(ctx.inputs, ctx.outputs);
    const [df, db] = this.#directions(ctx.inputGrads, ctx.outputGrads);
    this.forwardLayer.backward({
      ...ctx, inputs: f.inputs, output: w.yF, outputs: [w.yF, ...f.states], outputGrad: w.dF, outputGrads: [w.dF, ...df.states],
      workspace: w.wsF, weights: this.slice(weights, 0), weightGrads: this.slice(weightGrads, 0), inputGrads: df.inputs,
    });
    this.backwardLayer.backward({
      ...ctx, inputs: b.inputs, output: w.yRun, outputs: [w.yRun, ...b.states], outputGrad: w.dRun, outputGrads: [w.dRun, ...db.states],
      workspace: w.wsB, weights: this.slice(weights, 1), weightGrads: this.slice(weightGrads, 1), inputGrads: [inputGrad ? w.dx : 0, ...db.inputs.slice(1)],
    });
    if (inputGrad) backend.add(inputGrad, w.dx, inputGrad, batch * this.#inSize);
  }

  // Both directions read a padded sequence's mask; the merged sequence carries it on.
  override get supportsMasking(): boolean {
    return true;
  }

  override checkInputMask(mask: Shape, input: Shape, source: Layer): void {
    for (const direction of this.innerLayers) direction.checkInputMask(mask, input, source);
  }

  // As the wrapped layer does (ConvLSTM2D consumes its mask).
  override get passesMask(): boolean {
    return this.forwardLayer.passesMask;
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), mergeMode: this.mergeMode };
    if (this.#givenBackwardLayer) config.backwardLayer = { className: this.#givenBackwardLayer.className, config: this.#givenBackwardLayer.getConfig() };
    return config;
  }
}

registerBuiltinLayer('Bidirectional', (config) => {
  const { layer, backwardLayer, ...rest } = config;
  const where = `Bidirectional layer '${String(rest.name ?? '?')}'`;
  return new Bidirectional({
    ...rest,
    layer: innerLayerFromConfig(layer, where),
    ...(backwardLayer === undefined || backwardLayer === null ? {} : { backwardLayer: innerLayerFromConfig(backwardLayer, where) }),
  } as BidirectionalArgs);
});

/**
 * Runs a recurrent layer over the sequence forwards and backwards and merges the two outputs
 * (mergeMode 'concat' by default, or 'sum', 'mul', 'ave'). Its `apply` gives a list when the layer was
 * made with `returnState: true` (`[merged, ...forwardStates, ...backwardStates]`) or with mergeMode null
 * (`[forward, backward, ...states]`), a tuple of that length when the wrapped layer's type names its states
 * (and `backwardLayer`'s, when given: an LSTM's h and c, then a GRU's h).
 * @example `km.layers.bidirectional({ layer: km.layers.lstm({ units: 64 }) })`
 */
export function bidirectional<States extends string[], BackwardStates extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; backwardLayer: ReturnsList<Layer, ['output', ...BackwardStates]>; mergeMode: null },
): ReturnsList<Bidirectional, ['forward', 'backward', ...States, ...BackwardStates]>;
export function bidirectional<States extends string[], BackwardStates extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; backwardLayer: ReturnsList<Layer, ['output', ...BackwardStates]>; mergeMode?: BidirectionalMergeMode },
): ReturnsList<Bidirectional, ['output', ...States, ...BackwardStates]>;
export function bidirectional<States extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; mergeMode: null },
): ReturnsList<Bidirectional, ['forward', 'backward', ...States, ...States]>;
export function bidirectional<States extends string[]>(
  args: BidirectionalArgs & { layer: ReturnsList<Layer, ['output', ...States]>; mergeMode?: BidirectionalMergeMode },
): ReturnsList<Bidirectional, ['output', ...States, ...States]>;
export function bidirectional(args: BidirectionalArgs & { layer: ReturnsList<Layer> }): ReturnsList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { layer: MayReturnList<Layer>; mergeMode: null }): ReturnsList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { mergeMode: null }): ReturnsList<Bidirectional, ['forward', 'backward']>;
export function bidirectional(args: BidirectionalArgs & { layer: MayReturnList<Layer> }): MayReturnList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs & { mergeMode?: BidirectionalMergeMode }): Bidirectional;
export function bidirectional(args: BidirectionalArgs): MayReturnList<Bidirectional>;
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  checkRequiredOptions(args, BIDIRECTIONAL_OPTIONS, 'km.layers.bidirectional');
  return new Bidirectional(args);
}
