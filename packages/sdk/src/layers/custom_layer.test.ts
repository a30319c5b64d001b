import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

/** The example of docs/CUSTOM_LAYERS.md: y = x², with its hand-written gradient. */
class Square extends km.layers.Layer {
  readonly className = 'Square';
  #size = 0;

  constructor(args: km.layers.LayerArgs = {}) {
    super(args, 'Square');
  }

  computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
    return inputShapes[0];
  }

  protected override build(inputShapes: readonly km.layers.Shape[]): void {
    this.#size = inputShapes[0].reduce((a, b) => a * b, 1);
  }

  forward(ctx: km.layers.ForwardContext): void {
    ctx.backend.mul(ctx.inputs[0], ctx.inputs[0], ctx.output, ctx.batch * this.#size);
  }

  backward(ctx: km.layers.BackwardContext): void {
    const dx = ctx.inputGrads[0];
    if (!dx) return;
    const n = ctx.batch * this.#size;
    ctx.backend.mul(ctx.inputs[0], ctx.outputGrad, dx, n);
    ctx.backend.add(dx, dx, dx, n);
  }
}

describe('a custom layer written as docs/CUSTOM_LAYERS.md shows', () => {
  it('trains with the right gradient and deserializes from its registered class name', async () => {
    km.layers.registerLayer('Square', (config) => new Square(config));
    km.utils.setRandomSeed(6);
    const model = km.sequential([km.layers.dense({ units: 4, inputShape: [3], biasInitializer: 'glorotUniform' }), new Square(), km.layers.dense({ units: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = [[0.2, -0.5, 0.9], [1, 0.3, -0.2]];
    const ys = [[0.1, -0.3], [0.4, 0.2]];
    const w = model.getWeights().map((t) => Array.from(t.dataSync()));
    const forward = (x: number[]) => dense(dense(x, w[0], w[1]).map((v) => v * v), w[2], w[3]);
    const loss = () => xs.reduce((s, x, i) => s + forward(x).reduce((t, p, j) => t + (p - ys[i][j]) ** 2, 0) / 2, 0) / xs.length;
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs), km.tensor(ys));
    expectGradientsClose(actual, finiteDifferences(w, loss), ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    expect(km.layers.layerFromConfig('Square', { name: 'sq' })).toBeInstanceOf(Square);
  });
});
