import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe('km.model called as Keras calls Model(inputs, outputs)', () => {
  it('says to pass { inputs, outputs }', () => {
    const x = km.input({ shape: [4] });
    const y = km.layers.dense({ units: 2 }).apply(x) as km.SymbolicTensor;
    const positional = km.model as unknown as (...args: unknown[]) => km.LayersModel;
    const message = /km\.model takes one options object: write km\.model\(\{ inputs, outputs \}\).*Received: a symbolic tensor as the first argument/;
    expect(() => positional(x, y)).toThrow(message);
    expect(() => positional([x], [y])).toThrow(/write km\.model\(\{ inputs, outputs \}\).*Received: a list of symbolic tensors as the first argument/);
  });
});
