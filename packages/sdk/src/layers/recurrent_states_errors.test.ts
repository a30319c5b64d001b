import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

describe('returnState and initialState: bad input gets errors that name it and the fix', () => {
  const sequence = () => km.input({ shape: [5, 3] });

  it('refuses initial states of the wrong count or shape', () => {
    const [, h] = km.layers.lstm({ units: 4, returnState: true }).apply(sequence());
    expect(() => km.layers.lstm({ units: 4, name: 'dec_count' }).apply(sequence(), { initialState: [h] })).toThrow(
      /LSTM layer 'dec_count' has 2 states \[h, c\], but received 1 initial state .*Pass initialState: \[h, c\], each of shape \(None, 4\)/,
    );
    expect(() => km.layers.gru({ units: 5, name: 'dec_shape' }).apply(sequence(), { initialState: [h] })).toThrow(
      /GRU layer 'dec_shape': initial state 0 must have shape \(None, 5\) \(units=5\), but received \(None, 4\)\. Give the encoder and decoder the same units/,
    );
  });

  it('refuses a keyword input the layer does not take, naming the ones it takes', () => {
    const [, h] = km.layers.simpleRNN({ units: 4, returnState: true }).apply(sequence());
    expect(() => km.layers.dense({ units: 2, name: 'plain' }).apply(sequence(), { initialState: [h] })).toThrow(
      /Layer 'plain' \(Dense\)\.apply received the keyword input 'initialState' \(a list of 1\), which this layer does not take\. It takes no keyword inputs\./,
    );
    const rnn = km.layers.simpleRNN({ units: 4, name: 'rnn_kw' });
    expect(() => rnn.apply(sequence(), { initialStates: [h] } as never)).toThrow(/'initialStates' \(a list of 1\), which this layer does not take\. It takes the keyword input 'initialState'/);
  });

  it('refuses the outputs of returnState where one tensor is expected', () => {
    const lstm = km.layers.lstm({ units: 4, returnState: true, name: 'stateful_enc' });
    const outputs = lstm.apply(sequence());
    expect(outputs).toHaveLength(3);
    expect(() => lstm.output).toThrow(/Layer 'stateful_enc' \(LSTM\) has 3 outputs per call, so it has no single output\. Use layer\.getOutputsAt\(0\)/);
    expect(lstm.getOutputsAt(0)).toEqual(outputs);
    // Options from a variable typed LSTMArgs: with a literal returnState: true the types already
    // refuse this layer in a sequential model, so only the runtime check is left to test.
    const stateful: km.layers.LSTMArgs = { units: 4, returnState: true, inputShape: [5, 3], name: 'in_sequential' };
    expect(() => km.sequential([km.layers.lstm(stateful)])).toThrow(
      /Layer 'in_sequential' \(LSTM\) has 3 outputs .*every layer of a sequential model must have one.*functional API/,
    );
    // A Bidirectional around it has both directions' states as outputs too, so Sequential refuses it the same way.
    expect(() => km.sequential([km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnState: true }), inputShape: [5, 3], name: 'bi_in_sequential' })])).toThrow(
      /Layer 'bi_in_sequential' \(Bidirectional\) has 5 outputs .*every layer of a sequential model must have one/,
    );
  });

  it('on km.Tensor data, returns [output, ...states] and starts from given states, as the model computes them', async () => {
    km.utils.setRandomSeed(2);
    const encIn = km.input({ shape: [5, 3] });
    const decIn = km.input({ shape: [2, 3] });
    const encoder = km.layers.lstm({ units: 4, returnState: true });
    const decoder = km.layers.lstm({ units: 4 });
    const [, h, c] = encoder.apply(encIn);
    const model = km.model({ inputs: [encIn, decIn], outputs: decoder.apply(decIn, { initialState: [h, c] }) });
    const x = km.tensor(Float32Array.from({ length: 2 * 15 }, (_, i) => Math.sin(i)), [2, 5, 3]);
    const y = km.tensor(Float32Array.from({ length: 2 * 6 }, (_, i) => Math.cos(i)), [2, 2, 3]);
    const states = encoder.apply(x);
    expect(states.map((t) => t.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(Array.from(states[0].dataSync())).toEqual(Array.from(states[1].dataSync()));
    const eager = decoder.apply(y, { initialState: [states[1], states[2]] });
    const fromZero = decoder.apply(y);
    const expected = (model.predict([x, y]) as km.Tensor).dataSync();
    eager.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(Math.max(...fromZero.dataSync().map((v, i) => Math.abs(v - expected[i])))).toBeGreaterThan(1e-3);
  });

  it('summary lists every output of the layer and which one each connection reads, as Keras does', () => {
    const encIn = km.input({ shape: [5, 3], name: 'enc_in' });
    const [, h, c] = km.layers.lstm({ units: 4, returnState: true, name: 'enc' }).apply(encIn);
    const decIn = km.input({ shape: [2, 3], name: 'dec_in' });
    const model = km.model({ inputs: [encIn, decIn], outputs: [km.layers.lstm({ units: 4, name: 'dec' }).apply(decIn, { initialState: [h, c] }), c] });
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    // A row's cells wrap within their columns: Output Shape spans characters 32-52, Connected to 65 on.
    const column = (layer: string, from: number, to?: number) => {
      const at = lines.findIndex((l) => l.startsWith(` ${layer}`));
      return lines.slice(at, at + 2).map((l) => l.slice(from, to).trim()).join(' ').trim();
    };
    expect(column('enc (LSTM)', 32, 53)).toBe('(None, 4), (None, 4), (None, 4)');
    expect(column('dec (LSTM)', 65)).toBe('dec_in[0][0], enc[0][1], enc[0][2]');
  });
});
