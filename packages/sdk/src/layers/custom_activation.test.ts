import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('an activation given as a function (Keras activation=my_fn)', () => {
  it('is refused, saying activations are kernels, naming them, and pointing to a custom layer', () => {
    const dense = (activation: unknown) => km.layers.dense({ units: 2, name: 'd', activation: activation as km.ActivationName });
    const message = /Layer 'd': activation is a function \(\(x\) => x\), but kerasm computes activations with its own kernels, so it takes one of their names: 'linear', 'relu'.*custom layer.*CUSTOM_LAYERS\.md/;
    expect(() => dense((x: unknown) => x)).toThrow(message);
  });

  it("is refused with loadLayersModel's customObjects, pointing to registerLayer", async () => {
    const load = km.loadLayersModel as unknown as (source: string, options: unknown) => Promise<unknown>;
    await expect(load('file:///nowhere/model.json', { customObjects: { myFn: (x: unknown) => x } })).rejects.toThrow(
      /loadLayersModel takes no customObjects.*km\.layers\.registerLayer\('MyLayer', \(config\) => new MyLayer\(config\)\).*custom layer.*CUSTOM_LAYERS\.md/,
    );
  });
});
