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

  computeOutputShape([shape]: readonly [km.layers.Shape]): km.layers.Shape {
    return shape;
  }

  protected override build([shape]: readonly [km.layers.Shape]): void {
    this.#size = shape.reduce((a, b) => a * b, 1);
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

/** A layer that only declares one [rows, cols] weight with the initializer it is given. */
class HoldsWeight extends km.layers.Layer {
  readonly className = 'HoldsWeight';
  #size = 0;

  constructor(private readonly initializer: unknown, private readonly weightShape: number[]) {
    super({}, 'HoldsWeight');
  }

  computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
    return inputShapes[0];
  }

  protected override build(inputShapes: readonly km.layers.Shape[]): void {
    this.#size = inputShapes[0].reduce((a, b) => a * b, 1);
    this.addWeight('w', this.weightShape, this.initializer as km.layers.InitializerSpec);
  }

  forward(ctx: km.layers.ForwardContext): void {
    ctx.backend.copy(ctx.inputs[0], ctx.output, ctx.batch * this.#size);
  }

  backward(): void {}
}

function initialWeight(initializer: unknown, shape: number[]): Float32Array {
  const layer = new HoldsWeight(initializer, shape);
  km.sequential([km.input({ shape: [2] }), layer]);
  return layer.getWeights()[0].dataSync() as Float32Array;
}

describe('addWeight in a custom layer', () => {
  it("takes an initializer as layers' options do: a name, Keras' snake_case name, or a config", () => {
    expect([...initialWeight('zeros', [2, 3])]).toEqual(new Array(6).fill(0));
    expect([...initialWeight({ className: 'Constant', config: { value: 0.5 } }, [3])]).toEqual([0.5, 0.5, 0.5]);
    // Keras' RandomNormal: mean 0, stddev 0.05.
    for (const name of ['randomNormal', 'random_normal']) {
      const w = initialWeight(name, [100, 100]);
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
      expect(Math.abs(mean)).toBeLessThan(0.003);
      expect(std).toBeCloseTo(0.05, 2);
    }
    // Glorot uniform: within ±√(6 / (fanIn + fanOut)), spread over the whole range.
    const limit = Math.sqrt(6 / (30 + 20));
    const glorot = initialWeight('glorotUniform', [30, 20]);
    expect(Math.max(...glorot.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...glorot.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect([...initialWeight((shape: readonly number[]) => new Float32Array(shape[0]).fill(7), [2])]).toEqual([7, 7]);
  });

  it('refuses anything else where addWeight is called, naming the forms it takes', () => {
    const forms = /^Layer 'holds_weight_\d+': addWeight\('w'\) takes an initializer name \(e\.g\. 'glorotUniform', 'random_normal', 'zeros'\), a config \(\{ className: 'RandomNormal', config: \{ stddev: 0\.05 \} \}\) or a function \(shape, random\) => Float32Array\./;
    expect(() => initialWeight('gaussian', [2])).toThrow(forms);
    expect(() => initialWeight('gaussian', [2])).toThrow(/Unknown initializer "gaussian"\. Valid initializers: zeros, ones, glorotUniform/);
    expect(() => initialWeight(0.1, [2])).toThrow(forms);
    expect(() => initialWeight(undefined, [2])).toThrow(forms);
  });
});

describe('a custom layer written the tfjs way', () => {
  it('is refused when made, naming super(args, className) and forward/backward', () => {
    // tfjs' guide: super({}), a call() with tensor ops, and the class name from getClassName().
    class SquaredSum extends km.layers.Layer {
      readonly className = 'SquaredSum';
      constructor() {
        super({}, undefined as unknown as string);
      }
      computeOutputShape(): km.layers.Shape {
        return [];
      }
      forward(): void {}
      backward(): void {}
    }
    expect(() => new SquaredSum()).toThrow(
      "SquaredSum calls super(args) without its class name: kerasm's Layer takes super(args, 'SquaredSum'), the name saved files record (tfjs' static className). " +
        "A layer with tfjs' call() of tensor ops extends km.layers.CallLayer; one on the backend's kernels extends km.layers.Layer with forward(ctx) and backward(ctx). docs/CUSTOM_LAYERS.md shows both.",
    );
  });
});
