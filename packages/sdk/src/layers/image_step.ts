import type { BufferId } from '../backend/backend.js';
import type { Random } from '../utils/random.js';
import type { BackwardContext, ForwardContext, Layer, Shape } from './layer.js';
import { RandomImageLayer } from './random_image_layer.js';

/**
 * One image layer run as a step of a layer that composes several (RandAugment): its draws for a
 * batch, then the batch through it with those draws in `ctx.workspace`, and its gradient.
 */
export interface ImageStep {
  readonly layer: Layer;
  ensureBuilt(inputShapes: readonly Shape[]): void;
  workspaceSize(batch: number): number;
  draw(random: Random, batch: number): Float32Array;
  apply(ctx: ForwardContext): void;
  applyGrad(ctx: BackwardContext, dx: BufferId): void;
}

const NO_DRAWS = new Float32Array(0);

/**
 * A random image layer as a step (its drawStep, applyStep, applyStepGrad), or a deterministic one
 * (AutoContrast, Equalization) as a step that draws nothing and runs its forward and backward
 * passes: those layers read only the input, the output and the input gradient they are given.
 */
export function imageStep(layer: RandomImageLayer | Layer): ImageStep {
  const common = {
    layer,
    ensureBuilt: (inputShapes: readonly Shape[]) => layer.ensureBuilt(inputShapes),
    workspaceSize: (batch: number) => layer.workspaceSize(batch),
  };
  if (layer instanceof RandomImageLayer) {
    return {
      ...common,
      draw: (random, batch) => layer.drawStep(random, batch),
      apply: (ctx) => layer.applyStep(ctx),
      applyGrad: (ctx, dx) => layer.applyStepGrad(ctx, dx),
    };
  }
  return {
    ...common,
    draw: () => NO_DRAWS,
    apply: (ctx) => layer.forward(ctx),
    applyGrad: (ctx, dx) => layer.backward({ ...ctx, inputGrads: [dx] }),
  };
}

/** Where a chain of steps runs: step i's workspace, and its output (the last one's is the chain's). */
export interface StepChainBuffers {
  readonly workspaces: readonly BufferId[];
  readonly outputs: readonly BufferId[];
}

function stepContext<T extends ForwardContext>(ctx: T, input: BufferId, output: BufferId, workspace: BufferId): T {
  return { ...ctx, inputs: [input], output, outputs: [output], workspace };
}

/** Runs `steps` one after another from `input`, step i writing `buffers.outputs[i]` with `buffers.workspaces[i]` as its workspace. */
export function applyStepChain(ctx: ForwardContext, steps: readonly ImageStep[], input: BufferId, buffers: StepChainBuffers): void {
  steps.forEach((step, i) => step.apply(stepContext(ctx, i === 0 ? input : buffers.outputs[i - 1], buffers.outputs[i], buffers.workspaces[i])));
}

/**
 * The gradient of {@link applyStepChain} into `dx`, from `dy`, which it overwrites; between steps
 * the gradient alternates between `scratch` and `dy`.
 */
export function applyStepChainGrad(ctx: BackwardContext, steps: readonly ImageStep[], input: BufferId, buffers: StepChainBuffers, dy: BufferId, dx: BufferId, scratch: BufferId): void {
  const last = steps.length - 1;
  let grad = dy;
  for (let i = last; i >= 0; i--) {
    const into = i === 0 ? dx : (last - i) % 2 === 0 ? scratch : dy;
    const stepCtx = stepContext(ctx, i === 0 ? input : buffers.outputs[i - 1], buffers.outputs[i], buffers.workspaces[i]);
    steps[i].applyGrad({ ...stepCtx, outputGrad: grad, outputGrads: [grad] }, into);
    grad = into;
  }
}
