import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const fix = / For Keras' model subclassing, extend km\.Model: its call\(inputs\) connects the layers it holds, and kerasm traces it into a graph of layers when the input shapes are known\. Otherwise build the model with km\.sequential\(\[\.\.\.\]\) or km\.model\(\{ inputs, outputs \}\)\.$/;

describe('model subclassing of the classes that do not trace call()', () => {
  it('a class extending km.LayersModel with call() is refused when constructed, naming km.Model', () => {
    // JavaScript, as a Keras user ports class MLP(keras.Model); TypeScript already refuses the abstract class.
    const LayersModel = km.LayersModel as unknown as new () => object;
    class MLP extends LayersModel {
      readonly dense = km.layers.dense({ units: 1 });

      call(x: km.SymbolicTensor) {
        return this.dense.apply(x);
      }
    }
    expect(() => new MLP()).toThrow(/^MLP extends km\.LayersModel directly, which has no way to build its graph\. /);
    expect(() => new MLP()).toThrow(fix);
  });

  it('a subclass of Sequential or Functional trains as they do, unless it defines call(), which kerasm would never run', async () => {
    class Regressor extends km.Sequential {
      constructor() {
        super({ layers: [km.input({ shape: [3] }), km.layers.dense({ units: 1 })] });
      }
    }
    const model = new Regressor();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit(km.ones([4, 3]), km.ones([4, 1]), { epochs: 2, verbose: 0 });
    expect(history.history.loss).toHaveLength(2);
    class Head extends km.Functional {
      constructor() {
        const input = km.input({ shape: [3] });
        super({ inputs: input, outputs: km.layers.dense({ units: 2 }).apply(input) as km.SymbolicTensor });
      }
    }
    expect((new Head().predict(km.ones([1, 3])) as km.Tensor).shape).toEqual([1, 2]);
    class WithCall extends km.Sequential {
      call(x: km.Tensor) {
        return x;
      }
    }
    expect(() => new WithCall()).toThrow(/^WithCall defines call\(\), which kerasm never calls on a Sequential or functional model: such a model computes what its layers do\. /);
    expect(() => new WithCall()).toThrow(fix);
  });
});
