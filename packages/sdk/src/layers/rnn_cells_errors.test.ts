import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const x = (batch: number, steps = 3) => km.tensor(new Float32Array(batch * steps * 2).fill(0.5), [batch, steps, 2]);

describe('RNN over cells: clear errors', () => {
  it('refuses a cell that is not a cell, naming what it received', () => {
    expect(() => km.layers.rnn({ cell: km.layers.lstm({ units: 3 }) as never })).toThrow(/cell must be a recurrent cell: km.layers.lstmCell.*Received: cell=LSTM 'lstm.*'/);
    expect(() => km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3 }), 'gru' as never] })).toThrow(/cells\[1\] must be a recurrent cell.*Received: cells\[1\]="gru"/);
    expect(() => km.layers.stackedRNNCells({ cells: [] })).toThrow(/cells must be a non-empty list of cells/);
  });

  it("refuses a custom cell class (Keras' RNN(MyCell())) that is a layer, pointing at km.layers.CallCell", () => {
    class MinimalRNNCell extends km.layers.Layer {
      readonly className = 'MinimalRNNCell';
      readonly stateSize = 4;
      constructor() {
        super({}, 'MinimalRNNCell');
      }
      computeOutputShape([shape]: readonly [km.layers.Shape]): km.layers.Shape {
        return shape;
      }
      forward(): void {}
      backward(): void {}
    }
    expect(() => km.layers.rnn({ cell: new MinimalRNNCell() as never })).toThrow(
      /Received: cell=MinimalRNNCell 'minimal_rnn_cell.*'\. A custom cell class \(Keras' RNN\(MyCell\(\)\)\) extends km.layers.CallCell, with stateSize, build and call\(\[input, ...states\]\) in km ops \(docs\/CUSTOM_LAYERS.md\)/,
    );
    expect(() => km.layers.rnn({ cell: km.layers.gru({ units: 3 }) as never })).toThrow(/is used on its own, without km.layers.rnn/);
  });

  it('refuses a layer option given to a cell, and a bad cell option, as the layers do', () => {
    expect(() => km.layers.lstmCell({ units: 3, returnSequences: true } as never)).toThrow(/km.layers.lstmCell.*returnSequences/);
    expect(() => km.layers.gruCell({ units: 0 })).toThrow(/GRUCell layer 'gru_cell.*': units must be a positive integer. Received: units=0/);
  });

  it('checks initial states against every cell, last cell first', () => {
    const layer = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4 }), km.layers.gruCell({ units: 3 })] });
    const input = km.input({ shape: [5, 2] });
    expect(() => layer.apply(input, { initialState: [km.input({ shape: [3] })] })).toThrow(/3 states in all.*received 1 initial states.*1 of \(None, 3\), then 2 of \(None, 4\)/);
  });

  it('resetStates on a layer or cells that are not stateful says so', () => {
    expect(() => km.layers.rnn({ cell: km.layers.lstmCell({ units: 2 }) }).resetStates()).toThrow(/is not stateful, so it keeps no states to reset/);
    expect(() => km.layers.lstm({ units: 2 }).resetStates()).toThrow(/LSTM layer 'lstm.*' is not stateful/);
  });
});

describe('stateful recurrent layers: clear errors', () => {
  it('refuses a model with no fixed batch size', () => {
    const model = km.sequential([km.layers.lstm({ units: 2, stateful: true, inputShape: [3, 2] })]);
    expect(() => model.predict(x(4))).toThrow(/is stateful, so it needs a fixed batch size.*none is declared.*batchInputShape: \[batchSize, \.\.\.inputShape\]/);
  });

  it('tells a stateful layer called on its own to take batchSize itself (the keras.io RNN guide calls one eagerly), and then runs', () => {
    const lstm = km.layers.lstm({ units: 2, stateful: true, name: 'eager_lstm' });
    expect(() => lstm.apply(x(4))).toThrow(/^Layer 'eager_lstm' \(LSTM\)\.apply: Layer 'eager_lstm' \(LSTM\) is stateful.*Give the layer batchSize, e\.g\. km\.layers\.lstm\(\{ units, stateful: true, batchSize: 4 \}\) \(for a layer called on its own, as in layer\.apply\(x\)\)/);
    const fixed = km.layers.lstm({ units: 2, stateful: true, batchSize: 4 });
    expect((fixed.apply(x(4)) as km.Tensor).shape).toEqual([4, 2]);
  });

  it('refuses batches of another size, and sample counts that leave a partial batch', () => {
    const model = km.sequential([km.layers.gru({ units: 2, stateful: true, batchInputShape: [4, 3, 2] })]);
    expect(() => model.predict(x(8))).toThrow(/predict received batchSize: 32, but the model's stateful layer 'gru.*' \(GRU\) keeps the states of 4 samples.*Pass batchSize: 4/);
    expect(() => model.predict(x(6), { batchSize: 4 })).toThrow(/predict received 6 samples, which do not split into full batches of 4.*last batch would hold 2/);
    const rnn = km.sequential([km.layers.rnn({ cell: km.layers.simpleRNNCell({ units: 2 }), stateful: true, batchSize: 2, inputShape: [3, 2] })]);
    expect(rnn.predict(x(2), { batchSize: 2 }).shape).toEqual([2, 2]);
    expect(() => rnn.layers[0].apply(x(3))).toThrow(/\(RNN\).apply: predict received batchSize: 3, but the model's stateful layer 'rnn.*' \(RNN\) keeps the states of 2 samples/);
  });

  it('trainOnBatch with a batch of another size than the kept states is refused by the layer itself', async () => {
    const model = km.sequential([km.layers.rnn({ cell: km.layers.simpleRNNCell({ units: 2 }), stateful: true, batchSize: 2, inputShape: [3, 2] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.trainOnBatch(x(2), km.tensor(new Float32Array(4), [2, 2]));
    await expect(model.trainOnBatch(x(3), km.tensor(new Float32Array(6), [3, 2]))).rejects.toThrow(/SimpleRNNCell layer 'simple_rnn_cell.*' is stateful: it keeps the states of 2 samples.*received a batch of 3/);
  });

  it('fit refuses to shuffle across the states, and checks the batch size there too', async () => {
    const model = km.sequential([km.layers.lstm({ units: 2, stateful: true, batchInputShape: [2, 3, 2] }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const y = km.tensor(new Float32Array(4), [4, 1]);
    await expect(model.fit(x(4), y, { batchSize: 2, verbose: 0 })).rejects.toThrow(/fit would shuffle the samples \(shuffle: true, the default\).*stateful.*Pass shuffle: false/);
    await expect(model.fit(x(4), y, { batchSize: 4, shuffle: false, verbose: 0 })).rejects.toThrow(/fit received batchSize: 4.*Pass batchSize: 2/);
    const history = await model.fit(x(4), y, { batchSize: 2, shuffle: false, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
  });

  it('refuses a batch size that is not a positive integer, or two that disagree', () => {
    expect(() => km.layers.lstm({ units: 2, batchSize: 0, inputShape: [3, 2] })).toThrow(/batch size must be a positive integer. Received: batchSize=0/);
    expect(() => km.layers.lstm({ units: 2, batchSize: 3, batchInputShape: [4, 3, 2] })).toThrow(/batchSize 3 and batchInputShape\[0\] 4 disagree/);
  });
});
