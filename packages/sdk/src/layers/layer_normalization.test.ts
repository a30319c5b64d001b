import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

/** Builds a one-layer model over `inputShape`, which is when the axes are checked against the input. */
function buildOn(inputShape: number[], args: Parameters<typeof km.layers.layerNormalization>[0]): km.LayersModel {
  return km.sequential([km.layers.layerNormalization({ ...args, inputShape })]);
}

describe('LayerNormalization', () => {
  it('gamma and beta take the normalised axes\' shape; weights are named as tfjs names them', () => {
    const model = buildOn([3, 4, 5], { axis: [-2, -1], name: 'ln' });
    expect(model.layers[0].weightSpecs.map((w) => [w.name, w.shape])).toEqual([['ln/gamma', [4, 5]], ['ln/beta', [4, 5]]]);
    expect(model.allLayers[0].computeOutputShape([[3, 4, 5]])).toEqual([3, 4, 5]);
    expect(buildOn([6], { center: false }).layers[0].weightSpecs.map((w) => w.shape)).toEqual([[6]]);
    expect(buildOn([6], { center: false, scale: false }).countParams()).toBe(0);
  });

  it('normalises each position the same way in training and in inference (no moving statistics)', () => {
    const layer = km.layers.layerNormalization({ axis: -1 });
    const random = new Random(3);
    const values = Float32Array.from({ length: 2 * 3 * 5 }, () => random.uniform(-4, 9));
    const x = km.tensor(values, [2, 3, 5]);
    const inference = layer.apply(x).dataSync();
    const training = layer.apply(x, { training: true }).dataSync();
    expect(Array.from(training)).toEqual(Array.from(inference));
    for (let row = 0; row < 6; row++) {
      const y = Array.from(inference.slice(row * 5, row * 5 + 5));
      const mean = y.reduce((a, b) => a + b, 0) / 5;
      expect(mean).toBeCloseTo(0, 5);
      expect(y.reduce((a, b) => a + (b - mean) ** 2, 0) / 5).toBeCloseTo(1, 2);
    }
  });

  it('rebuilds from its config, with the axes written as tfjs writes them once built', () => {
    const layer = km.layers.layerNormalization({ axis: -1, epsilon: 0.01, center: false, gammaInitializer: 'heUniform', gammaRegularizer: km.regularizers.l2({ l2: 0.1 }) });
    expect(layer.getConfig().axis).toBe(-1);
    km.sequential([km.layers.dense({ units: 3, inputShape: [2, 4] }), layer]);
    expect(layer.getConfig()).toMatchObject({ axis: [2], epsilon: 0.01, center: false, scale: true });
    const copy = km.layers.layerFromConfig('LayerNormalization', layer.getConfig());
    km.sequential([km.layers.dense({ units: 3, inputShape: [2, 4] }), copy]);
    expect(copy.getConfig()).toEqual({ ...layer.getConfig(), name: copy.name });
  });

  describe('bad input', () => {
    it.each([
      [{ axis: 1.5 }, 'axis must be an integer or a non-empty list of distinct integers, e.g. -1 or [-2, -1]. Received: axis=1.5.'],
      [{ axis: [-1, -1] }, 'Received: axis=[-1,-1].'],
      [{ axis: [] }, 'Received: axis=[].'],
      [{ axis: 'last' }, 'Received: axis="last".'],
      [{ epsilon: 0 }, 'epsilon must be a positive number, e.g. 1e-3. Received: epsilon=0.'],
      [{ epsilon: -1e-5 }, 'Received: epsilon=-0.00001.'],
      [{ center: 'yes' }, 'center must be true or false. Received: center="yes".'],
    ])('%j is refused in the constructor', (args, message) => {
      expect(() => km.layers.layerNormalization(args as never)).toThrow(message);
    });

    it('takes axes that are not adjacent, but refuses them when they alternate with the others more often than its transposes allow', () => {
      expect(buildOn([3, 4, 5], { axis: [-3, -1], name: 'ln' }).getLayer('ln').weightSpecs.map((w) => w.shape)).toEqual([[3, 5], [3, 5]]);
      expect(() => buildOn([2, 3, 2, 3, 2], { axis: [1, 3, 5] })).toThrow(
        /axes \[1,3,5\] of inputs of shape \(None, 2, 3, 2, 3, 2\) alternate with the other axes too often for kerasm's transposes \(at most 5 runs of axes, the batch's included, where they make 6\)\. Move the axes to normalise next to each other first \(km\.layers\.permute\)\./,
      );
    });

    it('refuses an axis beyond the input\'s rank, or the batch axis', () => {
      expect(() => buildOn([8], { axis: -3 })).toThrow('axis -3 is out of range for an input of rank 2 (batch included); axes 1 to 1 (or -1 to -1) can be normalised, not the batch axis 0. Received: axis=-3 for input shape (None, 8).');
      expect(() => buildOn([8], { axis: [-2, -1] })).toThrow('axis -2 is out of range for an input of rank 2');
      expect(() => buildOn([8], { axis: 2 })).toThrow('axis 2 is out of range');
      expect(() => buildOn([8], { axis: 0 })).toThrow('not the batch axis 0');
    });

    it('names the option meant for an unknown one', () => {
      expect(() => km.layers.layerNormalization({ epsilom: 1e-3 } as never)).toThrow("km.layers.layerNormalization has no option 'epsilom'; did you mean 'epsilon'?");
      expect(() => km.layers.layerNormalization({ momentum: 0.9 } as never)).toThrow("km.layers.layerNormalization has no option 'momentum'");
    });
  });
});
