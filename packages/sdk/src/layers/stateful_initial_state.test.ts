// A stateful built-in RNN given initialState at call time starts from it and keeps that call's final
// states, as Keras' and tfjs' RNN.call assign them whatever the call started from.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const [batch, steps, features, units] = [3, 4, 2, 5];
const random = new Random(31);
const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape);

describe('stateful built-in RNNs with an initialState', () => {
  it.each([
    { name: 'simpleRNN', make: (stateful: boolean) => km.layers.simpleRNN({ units, stateful, returnState: true, batchSize: batch }), states: 1 },
    { name: 'lstm', make: (stateful: boolean) => km.layers.lstm({ units, stateful, returnState: true, batchSize: batch }), states: 2 },
    { name: 'gru', make: (stateful: boolean) => km.layers.gru({ units, stateful, returnState: true, batchSize: batch }), states: 1 },
  ])('$name keeps the final states of a call that started from given ones', ({ make, states }) => {
    const build = (stateful: boolean) => {
      km.utils.setRandomSeed(7);
      const sequence = km.input({ shape: [steps, features] });
      const initial = Array.from({ length: states }, () => km.input({ shape: [units] }));
      const layer = make(stateful);
      const outputs = layer.apply(sequence, { initialState: initial }) as unknown as km.SymbolicTensor[];
      return { layer, model: km.model({ inputs: [sequence, ...initial], outputs }) };
    };
    const ours = build(true);
    const plain = build(false);
    plain.model.setWeights(ours.model.getWeights());
    const given = Array.from({ length: states }, () => uniform([batch, units]));
    for (let call = 0; call < 2; call++) {
      const x = uniform([batch, steps, features]);
      const [output, ...finals] = ours.model.predict<km.Tensor[]>([x, ...given], { batchSize: batch });
      const expected = plain.model.predict<km.Tensor[]>([x, ...given], { batchSize: batch });
      expect(Array.from(output.dataSync())).toEqual(Array.from(expected[0].dataSync()));
      const kept = ours.layer.states!;
      expect(kept).toHaveLength(states);
      kept.forEach((s, k) => expect(Array.from(s.dataSync())).toEqual(Array.from(finals[k].dataSync())));
    }
  });
});
