import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** Keras' habit: a layer that holds the layers its call would run as attributes. */
class MLPBlock extends km.layers.Layer {
  readonly className: string = 'MLPBlock';
  readonly hidden = km.layers.dense({ units: 32 });
  readonly heads: km.layers.Layer[] = [km.layers.dense({ units: 1 })];
  constructor() {
    super({}, 'MLPBlock');
  }
  computeOutputShape(): km.layers.Shape {
    return [1];
  }
  forward(): void {}
  backward(): void {}
}

/** The same habit with a whole model as the attribute. */
class HoldsModel extends MLPBlock {
  override readonly className = 'HoldsModel';
  readonly inner = km.sequential([km.layers.dense({ units: 2, inputShape: [4] })]);
}

describe('a custom layer holding layers as attributes', () => {
  it('is refused when it is built, naming the property and the functional-model fix', () => {
    const block = new MLPBlock();
    const message = /Layer 'mlp_block[_0-9]*' \(MLPBlock\) holds the layer 'dense[_0-9]*' in its property 'hidden'.*does not track.*km\.model\(\{ inputs, outputs \}\).*CUSTOM_LAYERS\.md/;
    expect(() => block.apply(km.input({ shape: [64] }))).toThrow(message);
    expect(block.built).toBe(false);
    expect(() => km.sequential([km.input({ shape: [4] }), new HoldsModel()]).predict(km.ones([1, 4]))).toThrow(/holds the layer 'dense[_0-9]*' in its property 'hidden'/);
  });

  it('names a model held in a property', () => {
    class OnlyModel extends km.layers.Layer {
      readonly className = 'OnlyModel';
      readonly inner = km.sequential([km.layers.dense({ units: 2, inputShape: [4] })], );
      constructor() {
        super({}, 'OnlyModel');
      }
      computeOutputShape(): km.layers.Shape {
        return [2];
      }
      forward(): void {}
      backward(): void {}
    }
    expect(() => new OnlyModel().apply(km.input({ shape: [4] }))).toThrow(/holds the model 'sequential[_0-9]*' in its property 'inner'/);
  });

  it('leaves the built-in layers that run other layers alone', () => {
    const L = km.layers;
    const x = km.input({ shape: [4, 5] });
    for (const layer of [
      L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true }) }),
      L.bidirectional({ layer: L.gru({ units: 3 }), backwardLayer: L.gru({ units: 3, goBackwards: true }) }),
      L.timeDistributed({ layer: L.dense({ units: 2 }) }),
      L.timeDistributed({ layer: L.flatten() }),
      L.rnn({ cell: L.lstmCell({ units: 3 }) }),
      L.rnn({ cell: [L.lstmCell({ units: 3 }), L.gruCell({ units: 2 })] }),
    ]) {
      expect(() => layer.apply(x)).not.toThrow();
      expect(layer.weights.length).toBeGreaterThanOrEqual(0);
    }
    expect(() => L.multiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([x, x])).not.toThrow();
  });
});
