// The list outputs' types as a user's strict project sees them: compiled with `noUncheckedIndexedAccess`
// (which this package's own tsconfig leaves off), where destructuring an array gives `T | undefined` and
// only a tuple gives `T`. Each snippet is a module of one such project; see testing/ts_examples.ts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exampleErrors, exampleTitle, type ExampleModule } from '../testing/ts_examples.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

const PREAMBLE = `import { expectTypeOf } from 'vitest';\nconst x = km.input({ shape: [10, 4] });`;

const SNIPPETS: Readonly<Record<string, string>> = {
  'a known count gives a tuple, so each state is a SymbolicTensor': `
const [, h, c] = km.layers.lstm({ units: 4, returnState: true }).apply(x);
expectTypeOf(h).toEqualTypeOf<km.SymbolicTensor>();
expectTypeOf(c).toEqualTypeOf<km.SymbolicTensor>();
km.layers.lstm({ units: 4, returnSequences: true }).apply(x, { initialState: [h, c] });
const [, gruH] = km.layers.gru({ units: 4, returnState: true }).apply(x);
const [, rnnH] = km.layers.simpleRNN({ units: 4, returnState: true }).apply(x);
expectTypeOf([gruH, rnnH]).toEqualTypeOf<km.SymbolicTensor[]>();
const [, convH, convC] = km.layers.convLstm2d({ filters: 2, kernelSize: 3, returnState: true }).apply(km.input({ shape: [3, 6, 6, 1] }));
expectTypeOf([convH, convC]).toEqualTypeOf<km.SymbolicTensor[]>();
const [, scores] = km.layers.multiHeadAttention({ numHeads: 2, keyDim: 4, returnAttentionScores: true }).apply([x, x]);
expectTypeOf(scores).toEqualTypeOf<km.SymbolicTensor>();
const [, hF, cF, hB, cB] = km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnState: true }) }).apply(x);
expectTypeOf([hF, cF, hB, cB]).toEqualTypeOf<km.SymbolicTensor[]>();
const [forward, backward, gruHF, gruHB] = km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnState: true }), mergeMode: null }).apply(x);
expectTypeOf([forward, backward, gruHF, gruHB]).toEqualTypeOf<km.SymbolicTensor[]>();
const [, dataH, dataC] = km.layers.lstm({ units: 4, returnState: true }).apply(km.zeros([2, 10, 4]));
expectTypeOf([dataH, dataC]).toEqualTypeOf<km.Tensor<'float32'>[]>();
// @ts-expect-error an LSTM with returnState gives three outputs, so there is no fourth
km.layers.lstm({ units: 4, returnState: true }).apply(x)[3];
`,
  'code written for the array type still compiles': `
const outputs = km.layers.lstm({ units: 4, returnState: true }).apply(x);
const asArray: km.SymbolicTensor[] = outputs;
const shapes: km.layers.SampleShape[] = outputs.map((t) => t.shape);
const second: km.SymbolicTensor = outputs[1];
const [output, ...states] = outputs;
km.layers.lstm({ units: 4 }).apply(x, { initialState: states });
km.layers.lstm({ units: 4 }).apply(x, { initialState: outputs.slice(1) });
const layer: km.layers.ReturnsList<km.layers.LSTM> = km.layers.lstm({ units: 4, returnState: true });
const encoder: km.layers.WithReturnedStates<km.layers.Recurrent> = km.layers.gru({ units: 4, returnState: true });
const fromWidened: km.SymbolicTensor[] = [...layer.apply(x), ...encoder.apply(x)];
export const used = [asArray, shapes, second, output, fromWidened];
`,
  'a count not known from the types stays an array': `
declare const flag: boolean;
const [, rnnH] = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4 }), km.layers.gruCell({ units: 4 })], returnState: true }).apply(x);
expectTypeOf(rnnH).toEqualTypeOf<km.SymbolicTensor | undefined>();
const maybe = km.layers.lstm({ units: 4, returnState: flag }).apply(x);
expectTypeOf(maybe).toEqualTypeOf<km.SymbolicTensor | km.SymbolicTensor[]>();
if (Array.isArray(maybe)) expectTypeOf(maybe[1]).toEqualTypeOf<km.SymbolicTensor | undefined>();
const mode = null as km.layers.BidirectionalMergeMode | null;
const [, state] = km.layers.bidirectional({ layer: km.layers.lstm({ units: 4, returnState: true }), mergeMode: mode }).apply(x);
expectTypeOf(state).toEqualTypeOf<km.SymbolicTensor | undefined>();
`,
};

describe('list outputs under strict and noUncheckedIndexedAccess', () => {
  const modules = Object.entries(SNIPPETS).map(([name, code]): ExampleModule => ({ example: { source: name, line: 1, code }, preamble: PREAMBLE }));
  let errors: Map<string, string[]> | undefined;

  for (const module of modules) {
    it(module.example.source, () => {
      errors ??= exampleErrors(repo, modules);
      expect(errors.get(exampleTitle(module.example))).toEqual([]);
    }, 120_000);
  }
});
