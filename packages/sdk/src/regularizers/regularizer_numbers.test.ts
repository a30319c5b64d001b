import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

describe("regularizer factories with Keras' positional factors", () => {
  it('take a bare number as l2(1e-3), l1(0.01) and l1l2(l1, l2) do in Keras', () => {
    expect(km.regularizers.l2(1e-3)).toEqual({ l1: 0, l2: 1e-3 });
    expect(km.regularizers.l1(0.01)).toEqual({ l1: 0.01, l2: 0 });
    expect(km.regularizers.l1l2(0.01, 0.02)).toEqual({ l1: 0.01, l2: 0.02 });
    expect(km.regularizers.l2({ l2: 1e-3 })).toEqual(km.regularizers.l2(1e-3));
    const dense = km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l2(1e-3) });
    expect(dense.getConfig().kernelRegularizer).toEqual({ className: 'L1L2', config: { l1: 0, l2: 1e-3 } });
  });

  it('refuse a bad number, and l1l2 with one number, saying what the factor is', () => {
    expect(() => km.regularizers.l2(-1)).toThrow('l2 must be a finite, non-negative number. Received: l2=-1.');
    expect(() => km.regularizers.l1(Number.NaN)).toThrow('l1 must be a finite, non-negative number. Received: l1=NaN.');
    const one = km.regularizers.l1l2 as unknown as (l1: number) => unknown;
    expect(() => one(0.01)).toThrow(/km\.regularizers\.l1l2 takes both factors.*l1l2\(0\.01, 0\.01\).*l1l2\(\{ l1: 0\.01 \}\)/);
  });
});
