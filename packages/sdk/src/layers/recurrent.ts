import type { Constraint, ConstraintSpec } from '../constraints/constraints.js';
import type { Backend, BufferId, FusableActivation } from '../backend/backend.js';
import { getInitializer, initializerConfig, type Initializer, type InitializerSpec } from '../initializers/initializers.js';
import { getRegularizer, regularizerConfig, type Regularizer, type RegularizerSpec } from '../regularizers/regularizers.js';
import { getActivation, isRowwise, needsInput, type ActivationName } from './activations.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape } from './layer.js';
import type { LayerArgs } from './layer_args.js';
import { formatShape, lastStepOnlyHint } from './layer_shapes.js';
import { weightOptions, weightOptionsConfig, type WeightOptions } from './weight_options.js';
import { carryOverMasked, routeMaskedGrads, stepMask } from './recurrent_masks.js';
import { transposeSteps } from './time_major.js';
import { checkInitialStates, keptStatesOf, KeptStates, resetKeptStates } from './recurrent_states.js';
import type { Tensor } from '../tensor.js';
import type { RecurrentStep, RecurrentStepGrad } from './recurrent_step.js';
import { RecurrentDropout, type DropoutShape } from './recurrent_dropout.js';
import { recurrentWorkspace, regionsSize, startedStates, type RecurrentWorkspaceDims } from './recurrent_workspace.js';
import { checkBooleanOption } from '../utils/options.js';

/** Options every recurrent layer (LSTM, GRU, SimpleRNN) takes, with TensorFlow.js' defaults. */
export interface RecurrentArgs extends LayerArgs {
  /** Size of the hidden state (positive integer). */
  units: number;
  /** Activation of the candidate state and the output (default 'tanh'); any element-wise activation. */
  activation?: ActivationName | null;
  /** Whether the cell adds a bias (default true). */
  useBias?: boolean;
  /** Initializer of the input kernel `[features, gates·units]` (default glorotNormal, as tfjs-layers 4.22; Keras uses glorotUniform). */
  kernelInitializer?: InitializerSpec;
  /** Initializer of the recurrent kernel `[units, gates·units]` (default orthogonal). */
  recurrentInitializer?: InitializerSpec;
  /** Initializer of the bias (default zeros). */
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  recurrentRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** Penalty on the layer's output, added to the loss. */
  activityRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
  recurrentConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
  /** Whether to output the hidden state at every step `[steps, units]` (true) or only the last `[units]` (default false). */
  returnSequences?: boolean;
  /** Whether to run over the steps last to first; the output sequence is then in that (reversed) order, as in Keras. */
  goBackwards?: boolean;
  /**
   * Whether to return the final states too: `apply` then gives `[output, ...states]`, the states being
   * `[h, c]` for an LSTM and `[h]` for a GRU or SimpleRNN, each `[units]` per sample (ConvLSTM2D: an image `[rows, cols, filters]`, or `[filters, rows, cols]` channels-first) (default false).
   */
  returnState?: boolean;
  /**
   * Whether each sample's final states start the same sample's next batch (default false: every
   * batch starts from zero states). It needs a fixed batch size (`batchSize` or `batchInputShape`
   * on the model's first layer) and `fit` with `shuffle: false`; `layer.resetStates()` or
   * `model.resetStates()` starts again from zeros. The states are not saved with the model (as in Keras).
   */
  stateful?: boolean;
  /** Accepted for compatibility; kerasm always runs the steps in a loop (the results are the same). */
  unroll?: boolean;
  /** Fraction of each step's input to drop while training, in [0, 1) (default 0): one mask per sample, shared by every step and gate, scaled by 1/(1 − rate). */
  dropout?: number;
  /** Fraction of the previous hidden state to drop where it enters the recurrent product while training, in [0, 1) (default 0); one mask per sample, as `dropout`'s. */
  recurrentDropout?: number;
  /** Seed of the dropout masks (Keras 3's `seed`); by default they draw from the generator `km.utils.setRandomSeed` seeds. */
  seed?: number | null;
  /** Accepted for compatibility (Keras' implementation mode 1 or 2); it does not change the results. */
  implementation?: number | null;
}

/**
 * The recurrence every recurrent layer shares, as Keras' RNN layer around a cell: input `[steps,
 * features]`, weights `kernel [features, gates·units]`, `recurrent_kernel [units, gates·units]`
 * and `bias [gates·units]` (TensorFlow.js' names and layouts), a zero initial state unless the call
 * brings its states after the sequence (`apply(x, { initialState })`); with returnState the call's
 * outputs are `[output, h, ...carried states]`.
 *
 * The forward pass turns the input time-major, computes x·W + b for every step in one GEMM, then
 * runs the cell step by step (`stepForward`: the recurrent product and the gate math). Backward
 * runs the steps in reverse (`stepBackward` leaves each step's pre-activation gradient dz in its
 * z), then the weight gradients are one GEMM each over all steps: dW = xᵀ·dz, dU = h₍ₜ₋₁₎ᵀ·dz,
 * dBias = Σ dz, dx = dz·Wᵀ. Everything a step keeps lives in the layer's workspace.
 */
export abstract class Recurrent extends Layer {
  readonly units: number;
  readonly activation: FusableActivation;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly returnState: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly implementation: number | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly #dropout: RecurrentDropout;
  /** Gate blocks of `units` columns in the kernels (LSTM 4, GRU 3, SimpleRNN 1). */
  abstract readonly gates: number;
  /** Per-step buffers of `[batch, units]` the cell keeps for its backward pass. */
  protected abstract readonly stateCount: number;
  /**
   * Buffers of `[batch, units]` the cell carries backward through time. Each is the gradient of a
   * state the cell carries forward besides h (LSTM: c), kept as the cell's state buffer of the same
   * index; these are the Keras states after h, which returnState returns and initialState sets.
   */
  protected abstract readonly carryCount: number;
  protected readonly where: string;
  readonly #kernelInitializerSpec: InitializerSpec;
  readonly #recurrentInitializerSpec: InitializerSpec;
  readonly #biasInitializerSpec: InitializerSpec;
  readonly #kernel: WeightOptions;
  readonly #recurrent: WeightOptions;
  readonly #bias: WeightOptions;
  readonly #activityRegularizer: Regularizer | null;
  #steps = 0;
  #features = 0;
  #kept: KeptStates | null = null;
  #stateShape: Shape = [];

  constructor(args: RecurrentArgs, className: string) {
    super(args, className);
    this.where = `${className} layer '${this.name}'`;
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new Error(`${this.where}: units must be a positive integer. Received: units=${JSON.stringify(args.units)}.`);
    }
    this.units = args.units;
    const flag = (value: unknown, option: string) => (value === undefined || value === null ? false : checkBooleanOption(value, option, this.where));
    this.activation = this.cellActivation(args.activation === undefined ? 'tanh' : args.activation, 'activation');
    this.useBias = args.useBias ?? true;
    this.returnSequences = flag(args.returnSequences, 'returnSequences');
    this.goBackwards = flag(args.goBackwards, 'goBackwards');
    this.returnState = flag(args.returnState, 'returnState');
    this.stateful = flag(args.stateful, 'stateful');
    this.unroll = flag(args.unroll, 'unroll');
    this.implementation = args.implementation ?? null;
    this.#dropout = new RecurrentDropout(args, this.where, this);
    [this.dropout, this.recurrentDropout] = [this.#dropout.rate, this.#dropout.recurrentRate];
    this.#kernelInitializerSpec = args.kernelInitializer ?? 'glorotNormal';
    this.#recurrentInitializerSpec = args.recurrentInitializer ?? 'orthogonal';
    this.#biasInitializerSpec = args.biasInitializer ?? 'zeros';
    // A bad name fails here, where the layer is made, rather than when a model builds it.
    const specs = { kernelInitializer: this.#kernelInitializerSpec, recurrentInitializer: this.#recurrentInitializerSpec, biasInitializer: this.#biasInitializerSpec };
    for (const [option, spec] of Object.entries(specs)) getInitializer(spec, `${this.where} ${option}`);
    this.#kernel = weightOptions(args, 'kernel', this.where);
    this.#recurrent = weightOptions(args, 'recurrent', this.where);
    this.#bias = weightOptions(args, 'bias', this.where);
    this.#activityRegularizer = getRegularizer(args.activityRegularizer, `${this.where} activityRegularizer`);
  }

  /** An activation the cell applies element by element; softmax is refused. */
  protected cellActivation(name: string | null, option: string): FusableActivation {
    const kind = getActivation(name, this.name);
    if (isRowwise(kind)) throw new Error(`${this.where}: ${option} must be an element-wise activation such as 'tanh' or 'sigmoid'; ${kind} normalizes over a whole row, which a recurrent cell cannot apply per gate. Received: ${option}='${kind}'. Put a Dense layer with activation '${kind}' after the ${this.className} instead.`);
    if (needsInput(kind)) throw new Error(`${this.where}: ${option} '${kind}' is not supported in recurrent cells yet: the cell computes its gradients from the gate outputs, and ${kind}'s needs the gate inputs. Received: ${option}='${kind}'. Use 'tanh', 'sigmoid', 'hardSigmoid' or 'relu'.`);
    return kind;
  }

  /** The bias initializer the layer builds with (LSTM adds its unit forget bias). */
  protected biasInitializerFor(spec: InitializerSpec): Initializer {
    return getInitializer(spec);
  }

  /** Keras' states of the cell, h first: LSTM [h, c], GRU and SimpleRNN [h]. */
  get stateCountKeras(): number {
    return 1 + this.carryCount;
  }

  // tfjs and Keras take the initial states as a keyword input, which joins the call's inputs.
  override get keywordInputs(): readonly string[] {
    return ['initialState'];
  }

  /** Checks the sequence and any initial states (`[sequence, ...states]`); returns the sequence's shape. */
  #sequenceShape(inputShapes: readonly Shape[]): Shape {
    const shape = inputShapes[0];
    if (shape === undefined) throw new Error(`${this.where} takes one input, a sequence [steps, features], but received none.`);
    this.sequenceOf(shape);
    checkInitialStates(this.where, inputShapes.slice(1), this.stateCountKeras, this.carryCount > 0 ? '[h, c]' : '[h]', this.stateShapeOf(shape));
    return shape;
  }

  /** [steps, floats per step] of an input shape; the layer's own check of it (ConvLSTM2D's steps are images). */
  protected sequenceOf(shape: Shape): [number, number] {
    if (shape.length !== 2) {
      throw new Error(`${this.where} expects sequences of shape [steps, features], but received inputs of shape ${formatShape(shape)}. ` +
        `Reshape each sample to [steps, features] (e.g. km.layers.reshape({ targetShape: [steps, 1] }) for a sequence of single numbers).${lastStepOnlyHint(shape, { repeat: true })}`);
    }
    return [shape[0], shape[1]];
  }

  /** One sample's state for an input shape, which returnState returns and initialState takes: `[units]` (ConvLSTM2D: an image). */
  protected stateShapeOf(_sequence: Shape): Shape {
    return [this.units];
  }

  /** The shapes of `kernel` and `recurrent_kernel` for an input shape: `[features, gates·units]` and `[units, gates·units]`. */
  protected kernelShapes(input: Shape): [Shape, Shape] {
    const width = this.gates * this.units;
    return [[input[1], width], [this.units, width]];
  }

  /** Mask values per step of the input mask (ConvLSTM2D: one per input pixel, as Masking marks them). */
  protected get maskPositions(): number {
    return 1;
  }

  /** Cell rows per sample, each holding `units` state values (ConvLSTM2D: one per output pixel). */
  protected get positions(): number {
    return 1;
  }

  protected override weightInputShapes(callShapes: readonly Shape[]): readonly Shape[] {
    return callShapes.slice(0, 1);
  }

  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const shape = this.#sequenceShape(inputShapes);
    return this.returnSequences ? [shape[0], this.units] : [this.units];
  }

  /** The output, then with returnState each final state (`stateShapeOf`). */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const output = this.computeOutputShape(inputShapes);
    return this.returnState ? [output, ...Array.from({ length: this.stateCountKeras }, () => this.stateShapeOf(inputShapes[0]))] : [output];
  }

  protected override build(inputShapes: readonly Shape[]): void {
    const input = this.#sequenceShape(inputShapes);
    [this.#steps, this.#features] = this.sequenceOf(input);
    this.#stateShape = this.stateShapeOf(input);
    const width = this.gates * this.units;
    const [kernelShape, recurrentShape] = this.kernelShapes(input);
    this.addWeight('kernel', kernelShape, getInitializer(this.#kernelInitializerSpec));
    this.addWeight('recurrent_kernel', recurrentShape, getInitializer(this.#recurrentInitializerSpec));
    if (this.useBias) this.addWeight('bias', this.biasShape(width), this.biasInitializerFor(this.#biasInitializerSpec));
  }

  /** The bias' shape; its first `width` values are the input bias added to x·W (GRU's reset-after form adds a row). */
  protected biasShape(width: number): number[] {
    return [width];
  }

  /** Time steps of the input the layer was built for. */
  protected get steps(): number {
    return this.#steps;
  }

  override get weightRegularizers(): readonly (Regularizer | null)[] {
    return this.#perWeight((o) => o.regularizer);
  }

  override get weightConstraints(): readonly (Constraint | null)[] {
    return this.#perWeight((o) => o.constraint);
  }

  #perWeight = <T>(pick: (options: WeightOptions) => T): T[] => (this.useBias ? [this.#kernel, this.#recurrent, this.#bias] : [this.#kernel, this.#recurrent]).map(pick);

  override get activityRegularizer(): Regularizer | null {
    return this.#activityRegularizer;
  }

  /**
   * The states the batch starts from: the call's initial states when it brings them, else when
   * stateful the kept ones (copied into the workspace by forward, `keep`), else none (zeros).
   */
  #initialStates(ctx: ForwardContext, keep: boolean): readonly BufferId[] {
    const given = ctx.inputs.slice(1);
    if (!this.stateful || given.length > 0) return given;
    const started = startedStates(ctx.backend, ctx.workspace, this.#dims, ctx.batch);
    if (keep) this.#keptStates().load(ctx.backend, ctx.batch, started);
    return started;
  }

  /**
   * Sets a stateful layer's kept states back to zero, so the next batch starts new sequences, or to
   * `states` (h, then c for an LSTM; each `[batchSize, units]`, ConvLSTM2D's `[batchSize, rows, cols, filters]`, or `[batchSize, filters, rows, cols]` channels-first), as Keras' `reset_states(states)`.
   * @example `lstm.resetStates()` after feeding one long sequence in chunks
   */
  resetStates(states?: Tensor | readonly Tensor[]): void {
    resetKeptStates(this.stateful, this.where, this.#kept, () => this.#keptStates(), states);
  }

  /**
   * The states a stateful layer keeps between batches (Keras' and tfjs' `layer.states`): copies of
   * h, then the carried ones (an LSTM's c), each `[batchSize, units]` (ConvLSTM2D's
   * `[batchSize, rows, cols, filters]`, or `[batchSize, filters, rows, cols]` channels-first), zeros before the first batch. Null for a layer that is not
   * stateful, as Keras gives None, and for a stateful one not built yet or whose batch size is not
   * known yet (declare it with `batchInputShape`). Give them back with {@link resetStates}.
   * @example
   * ```ts
   * const saved = lstm.states!;   // after feeding part of a sequence
   * lstm.resetStates(saved);      // later: continue from there
   * ```
   */
  get states(): Tensor<'float32'>[] | null {
    return keptStatesOf(this, () => this.#keptStates());
  }

  /** The states a stateful layer keeps between batches, made on first use. */
  #keptStates(): KeptStates {
    return (this.#kept ??= new KeptStates(Array.from({ length: this.stateCountKeras }, () => this.#stateShape), this.where, this.declaredBatchSize, this.stateCountKeras > 1 ? 'h, then the cell state' : 'h'));
  }

  protected override releaseKeptStates(): void {
    this.#kept?.release();
  }

  override workspaceSize(batch: number): number {
    return this.#dropoutStart(batch) + batch * this.#dropout.floatsPerSample(this.#dropoutShape());
  }

  // The dropout masks follow the cell's scratch in the workspace.
  #dropoutStart = (batch: number) => regionsSize(this.#dims, batch) + this.cellScratchSize(batch);
  #dropoutPass = (ctx: ForwardContext) => this.#dropout.pass(ctx.backend, ctx.workspace, this.#dropoutStart(ctx.batch), ctx.batch, this.#dropoutShape(), ctx.training);
  #dropoutShape = (): DropoutShape => ({ steps: this.#steps, features: this.#features, stateWidth: this.#stateWidth });

  /** Floats of scratch the cell keeps from forward to backward besides its per-step state (GRU: U's column blocks, partial products). */
  protected cellScratchSize(_batch: number): number {
    return 0;
  }

  /** The sizes the workspace is laid out by (recurrent_workspace.ts). */
  get #dims(): RecurrentWorkspaceDims {
    return {
      steps: this.#steps, features: this.#features, stateWidth: this.#stateWidth, positions: this.positions, maskPositions: this.maskPositions,
      gates: this.gates, stateCount: this.stateCount, carryCount: this.carryCount, keptStates: this.stateful ? this.stateCountKeras : 0,
    };
  }

  /** Views of the workspace: whole regions, and one step's slice of a time-major region. */
  #layout(backend: Backend, workspace: BufferId, batch: number, bias: BufferId, initial: readonly BufferId[]) {
    return recurrentWorkspace(backend, workspace, this.#dims, batch, this.cellScratchSize(batch), bias, initial);
  }

  forward(ctx: ForwardContext): void {
    const { backend, batch, weights } = ctx;
    const [t, u, width] = [this.#steps, this.#stateWidth, this.gates * this.units];
    const w = this.#layout(backend, ctx.workspace, batch, this.useBias ? weights[2] : 0, this.#initialStates(ctx, true));
    // goBackwards reverses the input here, so the steps always run 0, 1, ... in the workspace.
    transposeSteps(backend, this.#steps, ctx.inputs[0], w.xs, batch, this.#features, true, this.goBackwards);
    const drop = this.#dropoutPass(ctx);
    drop?.draw();
    drop?.dropSteps(w.xs);
    // The input bias is the first `width` values of the bias (all of it but in GRU's reset-after form).
    const inputBias = this.useBias ? backend.view(weights[2], 0, width) : 0;
    this.inputProduct(backend, w.xs, weights[0], inputBias, w.z, t * batch, w.scratch);
    this.beginForward(backend, weights[1], w.scratch, batch);
    // The mask goes time-major (and reversed with goBackwards) like the input, one value per row of a step.
    if (ctx.inputMask) transposeSteps(backend, this.#steps, stepMask(backend, ctx.inputMask, w.stepMask, batch * t, this.maskPositions), w.mask, batch, 1, true, this.goBackwards);
    for (let s = 0; s < t; s++) {
      const step = drop ? drop.forwardStep(w.step(s)) : w.step(s);
      this.stepForward(backend, weights[1], step);
      if (ctx.inputMask) carryOverMasked(backend, w.maskAt(s), step, batch, u);
    }
    if (this.returnSequences) transposeSteps(backend, this.#steps, ctx.output, w.h, batch, u, false, false);
    else backend.copy(w.hAt(t - 1), ctx.output, batch * u);
    if (this.returnState) {
      backend.copy(w.hAt(t - 1), ctx.outputs[1], batch * u);
      for (let k = 0; k < this.carryCount; k++) backend.copy(w.stateAt(k, t - 1), ctx.outputs[2 + k], batch * u);
    }
    // As Keras and tfjs: a stateful layer keeps the call's final states, from given initial states too.
    if (this.stateful) this.#keptStates().store(backend, batch, [w.hAt(t - 1), ...Array.from({ length: this.carryCount }, (_, k) => w.stateAt(k, t - 1))]);
  }

  backward(ctx: BackwardContext): void {
    const { backend, batch, weights, weightGrads } = ctx;
    const [t, u, width] = [this.#steps, this.#stateWidth, this.gates * this.units];
    const initial = this.#initialStates(ctx, false);
    const w = this.#layout(backend, ctx.workspace, batch, this.useBias ? weights[2] : 0, initial);
    const drop = this.#dropoutPass(ctx);
    if (this.returnSequences) transposeSteps(backend, this.#steps, ctx.outputGrad, w.dh, batch, u, true, false);
    else {
      if (t > 1) backend.fill(backend.view(w.dh, 0, (t - 1) * batch * u), (t - 1) * batch * u, 0);
      backend.copy(ctx.outputGrad, w.dhAt(t - 1), batch * u);
    }
    const carry = Array.from({ length: this.carryCount }, (_, k) => w.carryAt(k));
    // The returned final states' gradients join the last step's: h's into dh, the carried ones start the carry.
    if (this.returnState) {
      backend.add(w.dhAt(t - 1), ctx.outputGrads[1], w.dhAt(t - 1), batch * u);
      carry.forEach((c, k) => backend.copy(ctx.outputGrads[2 + k], c, batch * u));
    } else if (this.carryCount > 0) backend.fill(w.carry, this.carryCount * batch * u, 0);
    // With an initial state the first step has an hPrev, whose gradient the cells add into (GRU's even when nothing reads it).
    const dh0 = initial.length > 0 ? w.dh0 : 0;
    if (dh0) backend.fill(dh0, batch * u, 0);
    if (ctx.weightGradsNeeded) this.beginBackward(backend, w.scratch, batch);
    const saved = Array.from({ length: this.carryCount }, (_, k) => w.carrySavedAt(k));
    for (let s = t - 1; s >= 0; s--) {
      const dhPrev = s > 0 ? w.dhAt(s - 1) : dh0;
      const plain = { ...w.step(s), dh: w.dhAt(s), dhPrev, dhPrevRecurrent: dhPrev, carry, weightGradsNeeded: ctx.weightGradsNeeded };
      const step = drop ? drop.backwardStep(plain) : plain;
      if (ctx.inputMask) routeMaskedGrads(backend, w.maskAt(s), step, saved, batch, u);
      this.stepBackward(backend, weights[1], step);
      drop?.finishStep(step);
      // At a masked row the carried state was the previous one, so its gradient passes back untouched.
      if (ctx.inputMask) for (let k = 0; k < this.carryCount; k++) backend.maskSelectRows(w.maskAt(s), carry[k], saved[k], batch, u);
    }
    // w.z now holds dz for every step, time-major.
    // The carry now holds the gradients of the states before the first step.
    if (initial.length > 0) {
      if (ctx.inputGrads[1]) backend.copy(dh0, ctx.inputGrads[1], batch * u);
      carry.forEach((c, k) => ctx.inputGrads[2 + k] && backend.copy(c, ctx.inputGrads[2 + k], batch * u));
    }
    // A frozen layer only passes the gradient on: no dU, dW or dBias.
    if (ctx.weightGradsNeeded) {
      const [hs, h0] = drop ? drop.kernelInputs(w.h, initial[0] ?? 0) : [w.h, initial[0] ?? 0];
      this.recurrentKernelGrad(backend, hs, w.z, weightGrads[1], batch, w.scratch, this.useBias ? weightGrads[2] : 0, h0);
      if (this.useBias) backend.columnSum(w.z, backend.view(weightGrads[2], 0, width), t * batch * this.positions, width, false);
    }
    this.inputProductGrad(backend, w.xs, w.z, weights[0], ctx.weightGradsNeeded ? weightGrads[0] : 0, ctx.inputGrads[0] ? w.xs : 0, t * batch, w.scratch);
    if (ctx.inputGrads[0]) drop?.dropSteps(w.xs);
    if (ctx.inputGrads[0]) transposeSteps(backend, this.#steps, ctx.inputGrads[0], w.xs, batch, this.#features, false, this.goBackwards);
  }

  // Reads the mask of a padded sequence, and passes it on with the sequence it returns (a layer with
  // several positions per sample, whose cell rows are not the mask's, refuses masks).
  override get supportsMasking(): boolean {
    return true;
  }

  override get passesMask(): boolean {
    return this.returnSequences;
  }

  /** Floats of one sample's hidden state. */
  get #stateWidth(): number {
    return this.positions * this.units;
  }

  /**
   * z = x·W + b for every step at once, `samples` (steps·batch) rows of `xs` time-major: one GEMM.
   * ConvLSTM2D convolves each step's image instead.
   */
  protected inputProduct(backend: Backend, xs: BufferId, kernel: BufferId, inputBias: BufferId, z: BufferId, samples: number, _scratch: BufferId): void {
    backend.matMulBiasActivation(xs, kernel, inputBias, z, samples, this.gates * this.units, this.#features, 'linear');
  }

  /** The adjoint of inputProduct from every step's dz: dW = xᵀ·dz into `dKernel` (0: frozen), and dx = dz·Wᵀ into `dxs` (0: not needed; it may be `xs`). */
  protected inputProductGrad(backend: Backend, xs: BufferId, dz: BufferId, kernel: BufferId, dKernel: BufferId, dxs: BufferId, samples: number, _scratch: BufferId): void {
    const width = this.gates * this.units;
    if (dKernel) backend.matMul(xs, dz, dKernel, this.#features, width, samples, true, false, false);
    if (dxs) backend.matMul(dz, kernel, dxs, samples, this.#features, width, false, true, false);
  }

  /** Called before the first step forward (GRU splits U into its column blocks here). */
  protected beginForward(_backend: Backend, _recurrentKernel: BufferId, _scratch: BufferId, _batch: number): void {}

  /** Called before the last step backward when the weight gradients are needed (GRU zeroes its gradient accumulators here). */
  protected beginBackward(_backend: Backend, _scratch: BufferId, _batch: number): void {}

  /**
   * dU once every step's dz is in `dz` (time-major, like the hidden states `h`): Σ h₍ₜ₋₁₎ᵀ·dz₍ₜ₎ as one
   * GEMM over steps 1..T−1, plus h0ᵀ·dz₍₀₎ when an initial state `h0` was given (0: a zero state,
   * which adds nothing). A cell whose recurrent product is not h·U for every gate (GRU) overrides it;
   * dBias (0: no bias) is there for a cell with a recurrent bias.
   */
  protected recurrentKernelGrad(backend: Backend, h: BufferId, dz: BufferId, dU: BufferId, batch: number, _scratch: BufferId, _dBias: BufferId, h0: BufferId): void {
    const [t, u, width] = [this.#steps, this.units, this.gates * this.units];
    if (t > 1) {
      const rows = (t - 1) * batch;
      backend.matMul(backend.view(h, 0, rows * u), backend.view(dz, batch * width, rows * width), dU, u, width, rows, true, false, false);
    } else backend.fill(dU, u * width, 0);
    if (h0) backend.matMul(h0, backend.view(dz, 0, batch * width), dU, u, width, batch, true, false, true);
  }

  /** One step forward: add hPrev·U into z (x·W + b on entry) and apply the cell, writing h and the cell's state. */
  protected abstract stepForward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStep): void;

  /** One step backward: leave dz (the gradient of z's pre-activations) in z, and add the gradient of hPrev into dhPrev. */
  protected abstract stepBackward(backend: Backend, recurrentKernel: BufferId, step: RecurrentStepGrad): void;

  /** The fields of every recurrent layer's config, as TensorFlow.js writes them. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.#kernelInitializerSpec, `${this.where} kernelInitializer`),
      recurrentInitializer: initializerConfig(this.#recurrentInitializerSpec, `${this.where} recurrentInitializer`),
      biasInitializer: initializerConfig(this.#biasInitializerSpec, `${this.where} biasInitializer`),
      ...weightOptionsConfig('kernel', this.#kernel),
      ...weightOptionsConfig('recurrent', this.#recurrent),
      ...weightOptionsConfig('bias', this.#bias),
      activityRegularizer: regularizerConfig(this.#activityRegularizer),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      ...(this.#dropout.seed !== undefined ? { seed: this.#dropout.seed } : {}),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
    };
  }
}
