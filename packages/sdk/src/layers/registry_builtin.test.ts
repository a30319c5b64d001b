import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BUILTIN_LAYER_NAMES } from '../testing/builtin_layer_names.js';

class Doubler extends km.layers.Layer {
  readonly className: string;
  constructor(args: km.layers.LayerArgs = {}, className = 'Doubler') {
    super(args, className);
    this.className = className;
  }
  computeOutputShape(inputShapes: readonly km.layers.Shape[]): km.layers.Shape {
    return inputShapes[0];
  }
  forward(): void {}
  backward(): void {}
}

describe('registerLayer', () => {
  it("refuses a built-in class name, which would change how every saved model's layers of that class load", () => {
    expect(() => km.layers.registerLayer('Dense', (config) => new Doubler(config, 'Dense'))).toThrow(
      /registerLayer\('Dense'\): 'Dense' is a kerasm built-in layer class.*another name, e.g. 'MyDense'/,
    );
    expect(km.layers.layerFromConfig('Dense', { units: 2 })).toBeInstanceOf(km.layers.Dense);
  });

  it('refuses every name kerasm registers itself', () => {
    expect(BUILTIN_LAYER_NAMES).toContain('Dense');
    for (const name of BUILTIN_LAYER_NAMES) {
      expect(() => km.layers.registerLayer(name, (config) => new Doubler(config, name)), name).toThrow(/is a kerasm built-in layer class/);
    }
  });

  it('replaces an earlier registration of a user class name, as Keras 3 and tfjs do', () => {
    km.layers.registerLayer('Doubler', (config) => new Doubler(config));
    class Doubler2 extends Doubler {}
    km.layers.registerLayer('Doubler', (config) => new Doubler2(config));
    expect(km.layers.layerFromConfig('Doubler', {})).toBeInstanceOf(Doubler2);
  });
});
