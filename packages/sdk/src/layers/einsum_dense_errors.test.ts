import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// What EinsumDense refuses, each error naming the problem and the fix: equations it cannot compute
// or Keras does not take, outputShape and biasAxes that do not fit them, and inputs whose shape
// does not fit the equation.
beforeAll(() => km.ready());

const make = (args: Record<string, unknown>) => () => km.layers.einsumDense({ outputShape: 4, ...args } as unknown as km.layers.EinsumDenseArgs);

describe('EinsumDense refuses, when it is made', () => {
  it.each([
    ['no arrow', { equation: 'ab,bc' }, /equation must be an einsum string 'input,kernel->output' of one of Keras' forms 'ab,bc->ac', '\.\.\.b,bc->\.\.\.c' or 'ab\.\.\.,bc->ac\.\.\.'.*Received: equation="ab,bc"/],
    ['spaces', { equation: 'ab, bc->ac' }, /no spaces.*Received: equation="ab, bc->ac"/],
    ['an ellipsis on one side only', { equation: '...b,bc->c' }, /equation must be an einsum string.*Received: equation="\.\.\.b,bc->c"/],
    ['an ellipsis in the kernel', { equation: 'ab,...bc->ac' }, /equation must be an einsum string/],
    ['three operands', { equation: 'ab,bc,cd->ad' }, /equation must be an einsum string/],
    ['no equation', { equation: undefined }, /Received: equation=undefined/],
    ['an axis twice in the input', { equation: 'aab,bc->ac' }, /axis 'a' appears twice in the input 'aab' of equation 'aab,bc->ac'. EinsumDense takes each axis once per operand \(no diagonals or traces\); give each axis its own letter/],
    ['an axis twice in the kernel', { equation: 'ab,bbc->ac' }, /axis 'b' appears twice in the kernel 'bbc'/],
    ['an axis twice in the output', { equation: 'ab,bc->acc', outputShape: [4, 4] }, /axis 'c' appears twice in the output 'acc'/],
    ['an output axis from nowhere', { equation: 'ab,bc->acx', outputShape: [4, 2] }, /axis 'x' of the output 'acx' is in neither the input 'ab' nor the kernel 'bc' of equation 'ab,bc->acx', so nothing gives its values. Add 'x' to the kernel \('bcx'\) to learn it, or remove it from the output/],
    ['a kernel axis nothing sizes', { equation: 'ab,bcz->ac' }, /kernel axis 'z' of equation 'ab,bcz->ac' is in neither the input 'ab' nor the output 'ac', so nothing sizes it.*Add 'z' to the output, with its size in outputShape, or remove it from the kernel/],
    ['the batch axis in the kernel', { equation: 'ab,abc->ac' }, /the input's first axis 'a' is the batch axis.*the kernel 'abc' of equation 'ab,abc->ac' cannot hold it. Remove 'a' from the kernel/],
    ['the batch axis moved', { equation: 'ab,bc->ca' }, /the batch axis 'a' \(the input's first\) must also be the output's first axis.*has the output 'ca'. Write the output starting with 'a'/],
    ['an output of the batch axis alone', { equation: 'ab,b->a', outputShape: [] }, /leaves the output no axis but the batch.*Keep a kernel axis of size 1, e.g. 'ab,bc->ac' with outputShape 1/],
    ['outputShape of the wrong length', { equation: 'abc,cd->abd', outputShape: 64 }, /outputShape gives the sizes of the output 'abd' of equation 'abc,cd->abd' without the batch axis: 2 entries, each a positive integer or null for an axis the input sizes. Received: outputShape=64/],
    ['outputShape with the ellipsis counted', { equation: '...b,bc->...c', outputShape: [null, 64] }, /without the ellipsis \(which holds the batch\): 1 entry.*Received: outputShape=\[null,64\]. E.g. outputShape: 64/],
    ['a zero in outputShape', { equation: 'ab,bc->ac', outputShape: 0 }, /Received: outputShape=0/],
    ['a bias axis not in the output', { equation: 'ab,bc->ac', biasAxes: 'b' }, /biasAxes names the output axes the bias spans, and 'b' is not an axis of the output 'ac'. Received: biasAxes="b". E.g. biasAxes: 'c'/],
    ['a bias over the batch axis', { equation: 'ab,bc->ac', biasAxes: 'ac' }, /'a' is the batch axis, whose size changes from batch to batch. Received: biasAxes="ac"/],
    ['a bias axis twice', { equation: 'ab,bc->ac', biasAxes: 'cc' }, /it names an axis twice/],
    ['an empty biasAxes', { equation: 'ab,bc->ac', biasAxes: '' }, /it must be a non-empty string of the output's axes.*or leave it out for no bias/],
    ["Dense's useBias", { equation: 'ab,bc->ac', useBias: true }, /km\.layers\.einsumDense has no option 'useBias'/],
  ])('%s', (_, args, message) => {
    expect(make(args)).toThrow(message);
  });

  it('needs its options', () => {
    expect(() => (km.layers.einsumDense as (args?: unknown) => unknown)()).toThrow(/km\.layers\.einsumDense\(\) needs an options object.*equation, outputShape/);
  });
});

describe('EinsumDense refuses, when it meets its input', () => {
  const on = (args: Record<string, unknown>, shape: number[]) => () => make(args)().apply(km.input({ shape }));

  it.each([
    ['an input of another rank', { equation: 'abc,cd->abd', outputShape: [null, 4] }, [4], /equation 'abc,cd->abd' names 3 input axes \(the batch's first\), so it takes samples of rank 2, but received inputs of shape \(None, 4\). Give inputs of that rank, or write the equation for this one or an ellipsis \('\.\.\.bc,cd->\.\.\.bd'\) to take any leading axes/],
    ['too few axes for a left ellipsis', { equation: '...bc,cd->...bd', outputShape: [null, 4] }, [4], /names 2 input axes after the ellipsis \(the batch's in the ellipsis\), so it takes samples of at least 2 axes, but received inputs of shape \(None, 4\)/],
    ['an outputShape that contradicts the input', { equation: 'abc,cd->abd', outputShape: [5, 4] }, [3, 2], /outputShape gives axis 'b' of equation 'abc,cd->abd' size 5, but the input's axis 'b' has size 3 \(inputs of shape \(None, 3, 2\)\), and the output copies it. Set that entry of outputShape to 3 or null/],
    ['a kernel axis of the output left unsized', { equation: 'abc,cd->abd', outputShape: [null, null] }, [3, 2], /output axis 'd' of equation 'abc,cd->abd' comes from the kernel alone, so outputShape must give its size, but its entry is null. Give it a positive integer, e.g. \[null,64\]/],
    [
      'axes that alternate too often for the transposes',
      { equation: 'abcdef,bdfg->aceg', outputShape: [null, null, 3] }, [2, 2, 2, 2, 2],
      /EinsumDense layer '.*' with equation 'abcdef,bdfg->aceg' on inputs of shape \(None, 2, 2, 2, 2, 2\) reorders the input's axes into 6 separate groups for its matrix products, more than kerasm's transposes take \(5\). Write the equation with the axes that play the same part next to each other/,
    ],
  ])('%s', (_, args, shape, message) => {
    expect(on(args, shape)).toThrow(message);
  });

  it('a second call must bring the shape the layer was built for', () => {
    const layer = km.layers.einsumDense({ equation: '...b,bc->...c', outputShape: 4 });
    layer.apply(km.input({ shape: [3, 5] }));
    expect(() => layer.apply(km.input({ shape: [3, 6] }))).toThrow(/\(None, 3, 5\)/);
  });

  it('the same axes, grouped, are computed', () => {
    // 'abcdef' with the contracted axes last: two groups in the input.
    expect(on({ equation: 'acebdf,bdfg->aceg', outputShape: [null, null, 3] }, [2, 2, 2, 2, 2])().shape).toEqual([2, 2, 3]);
  });
});

describe('EinsumDense configs Keras does not write', () => {
  it("refuses Dense's use_bias (the bias comes from bias_axes) and quantization (LoRA it reads: einsum_dense_lora.test.ts)", () => {
    const base = { equation: 'ab,bc->ac', output_shape: [4], bias_axes: 'c' };
    expect(() => km.layers.layerFromConfig('EinsumDense', { ...base, use_bias: false })).toThrow(/EinsumDense has no use for the config key 'use_bias'/);
    expect(() => km.layers.layerFromConfig('EinsumDense', { ...base, quantization_config: { class_name: 'Int8QuantizationConfig', config: {} } })).toThrow("asks for Keras 3's quantized weights");
    expect(() => km.layers.layerFromConfig('EinsumDense', { ...base, gptq_unpacked_column_size: 4 })).toThrow("asks for Keras 3's GPTQ-quantized kernel");
  });
});
