import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { maxAbsDiff } from '../io/testing/round_trip.js';

// Models over dimensions of unknown size that keep state between calls or hold other models,
// each checked against the same computation at fixed sizes.

beforeAll(async () => {
  await km.ready();
});

function wave(shape: number[], phase = 0): km.Tensor {
  return km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.23 + phase)), shape);
}

describe('dimensions of unknown size in stateful and nested models', () => {
  it('a stateful LSTM over chunks of several lengths ends where one LSTM over the whole sequence ends', () => {
    const stateful = km.sequential([km.layers.lstm({ units: 3, stateful: true, batchInputShape: [2, null, 4] })]);
    const whole = km.sequential([km.layers.lstm({ units: 3, inputShape: [9, 4] })]);
    whole.setWeights(stateful.getWeights());
    const sequence = wave([2, 9, 4]).arraySync() as number[][][];
    const chunk = (from: number, to: number) => km.tensor(sequence.map((steps) => steps.slice(from, to)));
    stateful.predict(chunk(0, 3), { batchSize: 2 });
    stateful.predict(chunk(3, 8), { batchSize: 2 });
    const last = stateful.predict(chunk(8, 9), { batchSize: 2 }) as km.Tensor;
    expect(maxAbsDiff(last.dataSync(), (whole.predict(km.tensor(sequence)) as km.Tensor).dataSync())).toBeLessThan(1e-5);
  });

  it('a model of unknown length nested in another predicts and trains as the two applied in turn', async () => {
    const tokens = km.input({ shape: [null, 3] });
    const encoder = km.model({ inputs: tokens, outputs: km.layers.globalAveragePooling1d().apply(km.layers.conv1d({ filters: 4, kernelSize: 2, padding: 'causal' }).apply(tokens) as km.SymbolicTensor) as km.SymbolicTensor });
    const outer = km.input({ shape: [null, 3] });
    const head = km.layers.dense({ units: 1 });
    const model = km.model({ inputs: outer, outputs: head.apply(encoder.apply(outer) as km.SymbolicTensor) as km.SymbolicTensor });
    for (const steps of [5, 2]) {
      const x = wave([3, steps, 3], steps);
      const inTurn = head.apply(encoder.predict(x) as km.Tensor) as km.Tensor;
      expect(maxAbsDiff((model.predict(x) as km.Tensor).dataSync(), inTurn.dataSync())).toBeLessThan(1e-6);
    }
    const lines: string[] = [];
    model.summary({ printFn: (line) => lines.push(line) });
    expect(lines.join('\n')).toMatch(/\(None, None, 3\)/);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const { history } = await model.fit(wave([4, 6, 3]), wave([4, 1], 1), { epochs: 2, verbose: 0 });
    expect(history.loss[1]).toBeLessThan(history.loss[0]);
  });

  it('cross-attention between a query and a value of independent unknown lengths predicts at every pair of lengths as at those lengths fixed', () => {
    const build = (queryLength: number | null, valueLength: number | null) => {
      const query = km.input({ shape: [queryLength, 4] });
      const value = km.input({ shape: [valueLength, 4] });
      const attended = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'attention' }).apply([query, value]) as km.SymbolicTensor;
      return km.model({ inputs: [query, value], outputs: attended });
    };
    const free = build(null, null);
    expect(free.outputShape).toEqual([null, 4]);
    for (const [q, v] of [[2, 5], [4, 1], [3, 3]]) {
      const fixed = build(q, v);
      fixed.setWeights(free.getWeights());
      const inputs = [wave([2, q, 4], q), wave([2, v, 4], 10 + v)];
      expect(maxAbsDiff((free.predict(inputs) as km.Tensor).dataSync(), (fixed.predict(inputs) as km.Tensor).dataSync())).toBeLessThan(1e-6);
    }
  });
});
