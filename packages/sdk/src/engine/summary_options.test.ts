// model.summary(): tfjs' positional arguments and Keras' options (expandNested, showTrainable, layerRange).
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const printed = (model: km.LayersModel, options: km.SummaryOptions = {}) => {
  const lines: string[] = [];
  model.summary({ ...options, printFn: (line) => lines.push(line) });
  return lines;
};

/** x -> inner (a functional chain holding a Sequential base) -> head; the base's Dense frozen. */
function twoLevels() {
  const base = km.sequential({ layers: [km.layers.dense({ units: 4, inputShape: [3], name: 'base_dense' }), km.layers.dropout({ rate: 0.1, name: 'base_drop' })], name: 'base' });
  const innerInput = km.input({ shape: [3], name: 'inner_in' });
  const inner = km.model({ inputs: innerInput, outputs: km.layers.dense({ units: 2, name: 'inner_dense' }).apply(base.apply(innerInput) as km.SymbolicTensor) as km.SymbolicTensor, name: 'inner' });
  const x = km.input({ shape: [3], name: 'x' });
  const outer = km.model({ inputs: x, outputs: km.layers.dense({ units: 1, name: 'head' }).apply(inner.apply(x) as km.SymbolicTensor) as km.SymbolicTensor, name: 'outer' });
  base.layers[0].trainable = false;
  return outer;
}

/** Two inputs into a functional block (dense(p) + q), then a head: no chain at either level. */
function branching() {
  const p = km.input({ shape: [4], name: 'p' });
  const q = km.input({ shape: [4], name: 'q' });
  const block = km.model({ inputs: [p, q], outputs: km.layers.add({ name: 'sum' }).apply([km.layers.dense({ units: 4, name: 'proj' }).apply(p) as km.SymbolicTensor, q]) as km.SymbolicTensor, name: 'block' });
  const a = km.input({ shape: [4], name: 'a' });
  const b = km.input({ shape: [4], name: 'b' });
  const out = km.layers.dense({ units: 1, name: 'head' }).apply(block.apply([a, b]) as km.SymbolicTensor) as km.SymbolicTensor;
  return km.model({ inputs: [a, b], outputs: out, name: 'outer' });
}

describe('model.summary options', () => {
  it("expandNested frames each inner model's rows under its row, to any depth, and showTrainable marks Y, N or -", () => {
    expect(printed(twoLevels(), { expandNested: true, showTrainable: true })).toEqual([
      'Model: "outer"',
      '____________________________________________________________________________',
      ' Layer (type)                Output Shape           Param #      Trainable',
      '============================================================================',
      ' x (InputLayer)              (None, 3)              0            -',
      '____________________________________________________________________________',
      ' inner (Functional)          (None, 2)              26           Y',
      '|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|',
      '| inner_in (InputLayer)      (None, 3)              0            -         |',
      '|__________________________________________________________________________|',
      '| base (Sequential)          (None, 4)              16           N         |',
      '||¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯||',
      '|| base_dense (Dense)        (None, 4)              16           N        ||',
      '||________________________________________________________________________||',
      '|| base_drop (Dropout)       (None, 4)              0            -        ||',
      '|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|',
      '| inner_dense (Dense)        (None, 2)              10           Y         |',
      '¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯',
      ' head (Dense)                (None, 1)              3            Y',
      '============================================================================',
      'Total params: 29',
      'Trainable params: 13',
      'Non-trainable params: 16',
      '____________________________________________________________________________',
    ]);
    // Without the options, the same model prints one row per entry, as before.
    expect(printed(twoLevels()).filter((l) => l.startsWith(' ')).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['Layer (type)', 'x (InputLayer)', 'inner (Functional)', 'head (Dense)']);
  });

  it("expanded rows of a functional model list its inputs and what each layer reads, in the inner model's own names", () => {
    const lines = printed(branching(), { expandNested: true });
    const start = lines.findIndex((l) => l.startsWith(' block (Functional)'));
    expect(lines[start]).toMatch(/^ block \(Functional\) +\(None, 4\) +20 +a\[0\]\[0\], b\[0\]\[0\]$/);
    const inner = lines.slice(start + 2, lines.findIndex((l, i) => i > start && /^¯+$/.test(l)));
    expect(inner.filter((l) => /^\| \S/.test(l)).map((l) => l.slice(1, -1).trim().split(/\s{2,}/))).toEqual([
      ['p (InputLayer)', '(None, 4)', '0'],
      ['proj (Dense)', '(None, 4)', '20', 'p[0][0]'],
      ['q (InputLayer)', '(None, 4)', '0'],
      ['sum (Add)', '(None, 4)', '0', 'proj[0][0], q[0][0]'],
    ]);
    // Every framed line is as wide as the table.
    for (const line of inner) expect(line).toHaveLength(98);
    expect(lines).toContainEqual(expect.stringMatching(/^ head \(Dense\) +\(None, 1\) +5 +block\[0\]\[0\]$/));
  });

  it("takes tfjs' positional arguments: line length, column ends as fractions or characters, print function", () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3], name: 'd' })]);
    const lines: string[] = [];
    model.summary(80, [0.4, 0.7, 1], (line) => lines.push(line));
    expect(lines[1]).toBe('_'.repeat(80));
    expect(lines[2].indexOf('Output Shape')).toBe(32);
    expect(lines[2].indexOf('Param #')).toBe(56);
    lines.length = 0;
    model.summary(undefined, [20, 35, 45], (line) => lines.push(line));
    expect(lines[1]).toBe('_'.repeat(45));
    expect(lines[4]).toBe(' d (Dense)          (None, 2)      8');
  });

  it('a cell longer than its column wraps within it, as Keras wraps it, so no line outgrows the table', () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [4], name: 'a_dense_layer_with_a_rather_long_name' })]);
    const lines = printed(model).map((l) => l.trimEnd());
    const at = lines.findIndex((l) => l.includes('a_dense_layer'));
    // The name column is 29 wide (0.45 of 65): a space, 27 characters, a space.
    expect(lines.slice(at, at + 2)).toEqual([' a_dense_layer_with_a_rather (None, 3)              15', ' _long_name (Dense)']);
  });

  it('a list of shapes wraps after a shape, and "Connected to" wraps at the line end', () => {
    const a = km.input({ shape: [8], name: 'a_rather_long_input_name_for_the_table' });
    const b = km.input({ shape: [8], name: 'another_rather_long_input_name' });
    const [seq] = km.layers.lstm({ units: 2, returnState: true, name: 'lstm' }).apply(km.layers.reshape({ targetShape: [8, 2] }).apply(km.layers.concatenate().apply([a, b]) as km.SymbolicTensor) as km.SymbolicTensor) as km.SymbolicTensor[];
    const lines = printed(km.model({ inputs: [a, b], outputs: seq }));
    expect(Math.max(...lines.map((l) => l.trimEnd().length))).toBeLessThanOrEqual(98);
    const lstm = lines.findIndex((l) => l.startsWith(' lstm (LSTM)'));
    // Output Shape is 21 wide (0.33 to 0.55 of 98): each line holds whole shapes.
    expect(lines.slice(lstm, lstm + 2).map((l) => l.slice(32, 53).trimEnd())).toEqual(['(None, 2),', '(None, 2), (None, 2)']);
    const concat = lines.findIndex((l) => l.startsWith(' concatenate'));
    // Connected to runs from 65 to the line's end, 33 characters.
    expect(lines.slice(concat, concat + 4).map((l) => l.slice(65).trimEnd())).toEqual(['a_rather_long_input_name_for_the_', 'table[0][0],', 'another_rather_long_input_name[0]', '[0]']);
  });

  it('layerRange prints the rows from the first name to the last, inputs included, with the whole totals', () => {
    const rows = (range: km.SummaryOptions['layerRange']) => printed(branching(), { layerRange: range }).slice(4).filter((l) => /^ \S+ \(/.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(rows(['b', 'block'])).toEqual(['b', 'block']);
    expect(rows([/^b/, /^[a-z]$/])).toEqual(['b']);
    expect(rows([/./, /./])).toEqual(['a', 'b', 'block', 'head']);
    expect(printed(branching(), { layerRange: ['head', 'head'] })).toContain('Total params: 25');
  });

  it('bad arguments name the problem and the fix', () => {
    const model = branching();
    const fn = () => undefined;
    // kerasm's summary once took the print function second.
    expect(() => (model.summary as (n: undefined, f: () => undefined) => void)(undefined, fn)).toThrow("summary: the second argument is the column positions, as in tfjs; give the print function third, summary(undefined, undefined, printFn), or as summary({ printFn }).");
    expect(() => model.summary({ positions: [0.32, 0.61, 0.89, 0.95, 1], printFn: fn })).toThrow('summary: positions has 5 entries, but this table has 4 columns (Layer (type), Output Shape, Param #, Connected to). Give one end per column, the last one the line\'s end, e.g. [0.25, 0.5, 0.75, 1].');
    expect(() => model.summary({ positions: [0.5, 0.4, 0.8, 1], printFn: fn })).toThrow(/positions must increase from column to column and be above 0, but got \[0.5, 0.4, 0.8, 1\]/);
    expect(() => model.summary({ lineLength: 0, printFn: fn })).toThrow('summary: lineLength must be a positive whole number of characters, but got 0.');
    expect(() => model.summary({ layerRange: ['x', 'head'], printFn: fn })).toThrow("summary: layerRange[0] ('x') names no layer of model 'outer'. Its rows are: a, b, block, head.");
    expect(() => model.summary({ layerRange: ['block', /^z/], printFn: fn })).toThrow("summary: layerRange[1] (/^z/) names no layer");
    expect(() => model.summary({ layerRange: ['head', 'a'], printFn: fn })).toThrow("summary: layerRange ends at 'a', before it starts at 'head'. Give the earlier layer first; the rows are: a, b, block, head.");
  });
});
