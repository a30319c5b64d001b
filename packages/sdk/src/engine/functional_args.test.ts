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

describe('km.input with a dtype written as in Keras', () => {
  it("names the 32-bit dtype for Keras' Input(dtype='int64') and 'float64'", () => {
    expect(() => km.input({ shape: [30], dtype: 'int64' as km.DType })).toThrow(/Received: dtype="int64"\. kerasm's tensors are 32-bit: declare dtype 'int32'/);
    expect(() => km.input({ shape: [3], dtype: 'float64' as km.DType })).toThrow(/Received: dtype="float64"\. kerasm's tensors are 32-bit: declare dtype 'float32'/);
    expect(km.input({ shape: [30], dtype: 'int32' }).dtype).toBe('int32');
  });
});
