import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { Random } from '../utils/random.js';

// Keras' and tfjs' `computeMask(inputs, mask)` in a custom layer is kerasm's `producesMask` beside
// `supportsMasking`: the layer reads its input's mask (`ctx.inputMask`) and writes the mask its
// output carries (`ctx.outputMask`) in its forward pass. Checked against the same mask given
// explicitly (`apply(x, { mask })`), which layers/explicit_mask_tfjs_parity.test.ts checks against tfjs.
beforeAll(() => km.ready());

const [BATCH, STEPS, FEATURES] = [3, 5, 2];
const random = new Random(3);
const xValues = Float32Array.from({ length: BATCH * STEPS * FEATURES }, () => random.uniform(-1, 1));
const keep = Float32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0]);

/** Passes its input on and masks the first step besides those its input's mask masks (Keras: compute_mask returns mask & (step > 0)). */
class SkipFirstStep extends km.layers.Layer {
  readonly className = 'SkipFirstStep';
  #steps = 0;
  #size = 0;

  constructor() {
    super({}, 'SkipFirstStep');
  }

  override get supportsMasking(): boolean {
    return true;
  }

  override get producesMask(): boolean {
    return true;
  }

  computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
    [this.#steps, this.#size] = [inputShapes[0][0], inputShapes[0].reduce((a, b) => a * b, 1)];
    return inputShapes[0];
  }

  forward(ctx: km.layers.ForwardContext): void {
    const { backend, batch, outputMask } = ctx;
    backend.copy(ctx.inputs[0], ctx.output, batch * this.#size);
    if (ctx.inputMask) backend.copy(ctx.inputMask, outputMask, batch * this.#steps);
    else backend.fill(outputMask, batch * this.#steps, 1);
    for (let b = 0; b < batch; b++) backend.fill(backend.view(outputMask, b * this.#steps, 1), 1, 0);
  }

  backward(ctx: km.layers.BackwardContext): void {
    if (ctx.inputGrads[0]) ctx.backend.copy(ctx.outputGrad, ctx.inputGrads[0], ctx.batch * this.#size);
  }
}

describe('a custom layer that computes its output\'s mask (Keras\' compute_mask)', () => {
  it('transforms the mask its input carries, and the recurrent layer after it reads the result', () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const lstm = km.layers.lstm({ units: 3, recurrentInitializer: 'glorotUniform' });
    // Masking marks the zeroed steps; the custom layer masks step 0 too.
    const model = km.model({ inputs: x, outputs: lstm.apply(new SkipFirstStep().apply(km.layers.masking().apply(x))) });
    const zeroed = xValues.map((v, i) => (keep[Math.floor(i / FEATURES)] ? v : 0));
    const y = (model.predict(km.tensor(zeroed, [BATCH, STEPS, FEATURES])) as km.Tensor).dataSync();
    const expectedMask = keep.map((k, i) => (i % STEPS === 0 ? 0 : k));
    const expected = lstm.apply(km.tensor(zeroed, [BATCH, STEPS, FEATURES]), { mask: km.tensor(expectedMask, [BATCH, STEPS]) }).dataSync();
    expectClose(y, expected);
    // Without the custom layer the result differs: step 0 counts.
    const plain = lstm.apply(km.tensor(zeroed, [BATCH, STEPS, FEATURES]), { mask: km.tensor(keep, [BATCH, STEPS]) }).dataSync();
    expect(Math.max(...Array.from(plain, (v, i) => Math.abs(v - y[i])))).toBeGreaterThan(1e-4);
  });

  it('makes a mask where its input carries none', () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const gru = km.layers.gru({ units: 2, recurrentInitializer: 'glorotUniform' });
    const model = km.model({ inputs: x, outputs: gru.apply(new SkipFirstStep().apply(x)) });
    const y = (model.predict(km.tensor(xValues, [BATCH, STEPS, FEATURES])) as km.Tensor).dataSync();
    const allButFirst = Float32Array.from({ length: BATCH * STEPS }, (_, i) => (i % STEPS === 0 ? 0 : 1));
    expectClose(y, gru.apply(km.tensor(xValues, [BATCH, STEPS, FEATURES]), { mask: km.tensor(allButFirst, [BATCH, STEPS]) }).dataSync());
  });
});

describe('a custom layer that computes its output\'s mask, given a mask explicitly', () => {
  it('reads the mask given as its input\'s (ctx.inputMask), in a model and on data, and the recurrent layer after it reads the result', () => {
    const x = km.input({ shape: [STEPS, FEATURES] });
    const mask = km.input({ shape: [STEPS] });
    const lstm = km.layers.lstm({ units: 3, recurrentInitializer: 'glorotUniform' });
    const skip = new SkipFirstStep();
    const model = km.model({ inputs: [x, mask], outputs: lstm.apply(skip.apply(x, { mask })) });
    const [xs, keeps] = [km.tensor(xValues, [BATCH, STEPS, FEATURES]), km.tensor(keep, [BATCH, STEPS])];
    const y = (model.predict([xs, keeps]) as km.Tensor).dataSync();
    // Keras: lstm(skip(x, mask=keep)) reads keep & (step > 0).
    const expectedMask = keep.map((k, i) => (i % STEPS === 0 ? 0 : k));
    expectClose(y, lstm.apply(xs, { mask: km.tensor(expectedMask, [BATCH, STEPS]) }).dataSync());
    // Its own output (the input passed on) is unchanged by the mask, on data too.
    expectClose(skip.apply(xs, { mask: keeps }).dataSync(), xValues);
    // The mask made from the given one is not the given one: step 0 of every sample is masked.
    const plain = lstm.apply(xs, { mask: keeps }).dataSync();
    expect(Math.max(...Array.from(plain, (v, i) => Math.abs(v - y[i])))).toBeGreaterThan(1e-4);
  });

  it('writes its output\'s mask to a buffer of its own, not over the mask given', () => {
    /** Keeps only the first step, where its input's mask keeps it: it clears its output mask before reading its input's. */
    class FirstStepOnly extends SkipFirstStep {
      override forward(ctx: km.layers.ForwardContext): void {
        const { backend, batch, inputMask, outputMask } = ctx;
        const steps = STEPS;
        backend.copy(ctx.inputs[0], ctx.output, batch * steps * FEATURES);
        backend.fill(outputMask, batch * steps, 0);
        for (let b = 0; b < batch; b++) backend.copy(backend.view(inputMask, b * steps, 1), backend.view(outputMask, b * steps, 1), 1);
      }
    }
    const x = km.input({ shape: [STEPS, FEATURES] });
    const mask = km.input({ shape: [STEPS] });
    const gru = km.layers.gru({ units: 2, recurrentInitializer: 'glorotUniform' });
    const model = km.model({ inputs: [x, mask], outputs: gru.apply(new FirstStepOnly().apply(x, { mask })) });
    const [xs, keeps] = [km.tensor(xValues, [BATCH, STEPS, FEATURES]), km.tensor(keep, [BATCH, STEPS])];
    const expectedMask = keep.map((k, i) => (i % STEPS === 0 ? k : 0));
    expectClose((model.predict([xs, keeps]) as km.Tensor).dataSync(), gru.apply(xs, { mask: km.tensor(expectedMask, [BATCH, STEPS]) }).dataSync());
  });
});

describe('a tfjs-style computeMask method', () => {
  it('is refused when the layer is made, naming what to write instead', () => {
    class TfjsMask extends km.layers.Layer {
      readonly className = 'TfjsMask';
      constructor() {
        super({}, 'TfjsMask');
      }
      computeMask(): null {
        return null;
      }
      computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
        return inputShapes[0];
      }
      forward(): void {}
      backward(): void {}
    }
    expect(() => new TfjsMask()).toThrow(
      'TfjsMask defines computeMask, which kerasm never calls: a layer\'s mask is a buffer of one value per step that its forward pass writes, not a tensor a method returns. Declare `get producesMask() { return true; }`',
    );
  });
});
