// A custom layer written as in TensorFlow.js and Keras: `call(inputs)` computes with km's ops on the
// host, and kerasm derives the backward pass from the ops' tape by running `call` again.
import type { Backend, BufferId } from '../backend/backend.js';
import { hostTensor } from '../backend/host_tensor.js';
import type { InitializerSpec } from '../initializers/initializers.js';
import { vectorJacobianProducts } from '../ops/gradients.js';
import { describeValue } from '../ops/operand.js';
import { tidy } from '../ops/tidy.js';
import { concat } from '../ops/join.js';
import { reshape } from '../ops/shape_ops.js';
import { sameShape, Tensor } from '../tensor.js';
import { zeros } from '../tensor_create.js';
import { Layer, type BackwardContext, type ForwardContext, type Shape, type WeightSpec } from './layer.js';
import { LayerWeight } from './layer_weight.js';
import { enterCall, leaveCall } from './running_calls.js';

/** What `call` receives besides its inputs. */
export interface CallArgs {
  /** True in `fit`'s training steps, false in `predict`, `evaluate` and validation. */
  readonly training: boolean;
  /**
   * The mask of the input, for a layer that declares `supportsMasking` and receives one (padded
   * sequences after `km.layers.embedding({ maskZero: true })`): `[batch, ...steps]`, 1 for a real
   * step, 0 for padding (the input's shape less its last axis). Undefined where the input has none.
   */
  readonly mask?: Tensor<'float32'>;
}

/** Each call layer's weights as `call` reads them while it runs: host tensors, by spec. */
const boundWeights = new WeakMap<Layer, ReadonlyMap<WeightSpec, Tensor>>();

/** A weight of a {@link CallLayer}: inside `call`, `read()` gives the values that this batch computes with. */
class CallWeight extends LayerWeight {
  override read(): Tensor<'float32'> {
    return (boundWeights.get(this.layer)?.get(this.spec) as Tensor<'float32'> | undefined) ?? super.read();
  }
}

/**
 * The base of a custom layer written the TensorFlow.js way: `call(inputs, { training })` returns
 * the output from km tensors with km's ops (`km.matMul`, the element-wise, reduce and shape ops),
 * and kerasm derives the gradient. Weights declared in `build` with `addWeight` give a
 * handle whose `read()` inside `call` is the tensor to compute with. The output shape is found by
 * running `call` once on zeros, as Keras 3 does, unless `computeOutputShape` is overridden.
 *
 * The layer computes on the host: each batch its inputs and weights are read from the backend, and
 * the backward pass runs `call` again on them to record the gradient, so `call` must give the same
 * output for the same inputs (no random draws inside it). It runs on every backend but
 * `tfjs-webgpu`, which cannot read synchronously. A layer written with `forward` and `backward` on
 * the backend's kernels (docs/CUSTOM_LAYERS.md) stays on the device, the fastest form.
 *
 * @example
 * ```ts
 * class Scale extends km.layers.CallLayer {
 *   readonly className = 'Scale';
 *   #scale!: km.layers.LayerWeight;
 *   constructor(args: km.layers.LayerArgs = {}) {
 *     super(args, 'Scale');
 *   }
 *   protected override build([shape]: readonly [km.layers.Shape]): void {
 *     this.#scale = this.addWeight('scale', [shape.at(-1)!], 'ones');
 *   }
 *   call(x: km.Tensor): km.Tensor {
 *     return km.mul(x, this.#scale.read()); // one factor per feature, trained
 *   }
 * }
 * ```
 */
export abstract class CallLayer extends Layer {
  #callShapes: readonly Shape[] | null = null;
  /** Output shapes found by running call, by input shapes. */
  readonly #tracedShapes = new Map<string, Shape>();

  /**
   * The output for one batch: `inputs` is one tensor `[batch, ...inputShape]`, or a list for a layer
   * called on several. A layer whose `computeOutputShapes` gives several outputs returns a list of
   * them, in that order.
   */
  abstract call(inputs: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[];

  /**
   * The output shape for `inputShapes` (without the batch). By default it is found as Keras 3 traces
   * it: `call` runs once on zeros (one sample, every weight zero) and its output's shape is taken.
   * Override it to give the shape without running `call`.
   */
  computeOutputShape(inputShapes: readonly Shape[]): Shape {
    const key = JSON.stringify(inputShapes);
    let shape = this.#tracedShapes.get(key);
    if (!shape) {
      shape = this.#traceOutputShape(inputShapes);
      this.#tracedShapes.set(key, shape);
    }
    return shape;
  }

  #traceOutputShape(inputShapes: readonly Shape[]): Shape {
    this.ensureBuilt(inputShapes);
    return tidy(() => {
      const output = this.#callWith(inputShapes.map((s) => zeros([1, ...s])), this.weightSpecs.map((spec) => zeros(spec.shape)), false);
      if (!(output instanceof Tensor) || output.rank === 0 || output.shape[0] !== 1) {
        const received = output instanceof Tensor ? `a tensor of shape [${output.shape.join(', ')}]` : describeValue(output);
        throw new Error(`${this.#where()}.call, run on one sample to find the output shape, returned ${received}: it must return a tensor with the batch first, synchronously. Override computeOutputShape to give the shape without running call.`);
      }
      return output.shape.slice(1);
    });
  }

  /** Declares a weight (see {@link Layer.addWeight}) and returns its handle, which `call` reads. */
  protected override addWeight(name: string, shape: Shape, initializer: InitializerSpec, trainable = true): LayerWeight {
    super.addWeight(name, shape, initializer, trainable);
    return new CallWeight(this, this.lastDeclaredWeight);
  }

  override ensureBuilt(callShapes: readonly Shape[]): void {
    super.ensureBuilt(callShapes);
    // Kept from the first call, unless a call brings more inputs (an RNN's initial states) or the
    // layer was rebound to another size of an unknown dimension.
    const kept = this.#callShapes;
    if (!kept || callShapes.length > kept.length || !sameShape(callShapes[0], kept[0])) this.#callShapes = callShapes.map((s) => [...s]);
  }

  forward(ctx: ForwardContext): void {
    tidy(() => {
      const inputs = this.#hostInputs(ctx.backend, ctx.inputs, ctx.batch);
      const outputs = this.#run(inputs, this.#hostWeights(ctx.backend, ctx.weights), ctx);
      outputs.forEach((output, i) => ctx.backend.write(ctx.outputs[i], output.dataSync()));
    });
  }

  backward(ctx: BackwardContext): void {
    tidy(() => {
      const { backend, batch } = ctx;
      const inputs = this.#hostInputs(backend, ctx.inputs, batch);
      const weights = this.#hostWeights(backend, ctx.weights);
      const dys = this.#outputShapes().map((shape, i) => hostTensor(backend, ctx.outputGrads[i], [batch, ...shape], this.#where()));
      // Several outputs are differentiated as one: each flattened per sample, side by side.
      const joined = (outputs: Tensor[]) => (outputs.length === 1 ? outputs[0] : concat(outputs.map((o) => reshape(o, [batch, -1])), 1));
      // Only what upstream reads or the optimizer trains is differentiated; the rest enters as constants.
      const inputWanted = ctx.inputGrads.map((id) => id !== 0);
      const wanted = [...inputs.filter((_, k) => inputWanted[k]), ...(ctx.weightGradsNeeded ? weights : [])];
      if (wanted.length === 0) return;
      const replay = (...args: Tensor[]) => {
        let next = 0;
        const callInputs = inputs.map((x, k) => (inputWanted[k] ? args[next++] : x));
        return joined(this.#run(callInputs, ctx.weightGradsNeeded ? args.slice(next) : weights, ctx));
      };
      const grads = vectorJacobianProducts(`${this.#where()}.call`, replay, wanted, joined(dys));
      const targets = [...ctx.inputGrads.filter((id) => id !== 0), ...(ctx.weightGradsNeeded ? ctx.weightGrads : [])];
      targets.forEach((id, i) => backend.write(id, grads[i].dataSync()));
    });
  }

  #outputShapes(): Shape[] {
    return this.computeOutputShapes(this.#callShapes!);
  }

  #where(): string {
    return `Layer '${this.name}' (${this.className})`;
  }

  #hostInputs(backend: Backend, ids: readonly BufferId[], batch: number): Tensor[] {
    return ids.map((id, k) => hostTensor(backend, id, [batch, ...this.#callShapes![k]], this.#where()));
  }

  #hostWeights(backend: Backend, ids: readonly BufferId[]): Tensor[] {
    return this.weightSpecs.map((spec, j) => hostTensor(backend, ids[j], spec.shape, this.#where()));
  }

  /** What `call` returns for host inputs while its weights' handles read `weights`. */
  #callWith(inputs: Tensor[], weights: Tensor[], training: boolean, mask?: Tensor<'float32'>): unknown {
    boundWeights.set(this, new Map(this.weightSpecs.map((spec, j) => [spec, weights[j]])));
    enterCall(this);
    try {
      return this.call(inputs.length === 1 ? inputs[0] : inputs, mask ? { training, mask } : { training });
    } finally {
      leaveCall();
      boundWeights.delete(this);
    }
  }

  /** `call` on a batch's host inputs and weights, as a list of its outputs; checks what it returns. */
  #run(inputs: Tensor[], weights: Tensor[], ctx: ForwardContext): Tensor[] {
    const mask = ctx.inputMask ? hostTensor(ctx.backend, ctx.inputMask, [ctx.batch, ...this.#callShapes![0].slice(0, -1)], this.#where()) : undefined;
    const result = this.#callWith(inputs, weights, ctx.training, mask);
    const shapes = this.#outputShapes();
    if (shapes.length === 1) return [this.#checkOutput(result, [ctx.batch, ...shapes[0]], 'computeOutputShape', 'its output')];
    if (!Array.isArray(result) || result.length !== shapes.length) {
      throw new Error(`${this.#where()}.call returned ${describeValue(result)}, but computeOutputShapes gives ${shapes.length} outputs: return a list of ${shapes.length} tensors, in that order.`);
    }
    return result.map((output, i) => this.#checkOutput(output, [ctx.batch, ...shapes[i]], 'computeOutputShapes', `output ${i}`));
  }

  #checkOutput(output: unknown, expected: Shape, shapeMethod: string, which: string): Tensor {
    if (!(output instanceof Tensor) || output.dtype !== 'float32' || !sameShape(output.shape, expected)) {
      const received = output instanceof Tensor ? `a ${output.dtype} tensor of shape [${output.shape.join(', ')}]` : describeValue(output);
      throw new Error(
        `${this.#where()}.call returned ${received}${which === 'its output' ? '' : ` as ${which}`}, but ${shapeMethod} gives a float32 output of shape [${expected.join(', ')}] (the batch first). ` +
          `Return it synchronously with that shape, or override ${shapeMethod} to give the shape call returns (without the batch).`,
      );
    }
    return output;
  }
}
