import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress_bar.js';

describe('ProgressBar', () => {
  it('prints one Keras-style line per epoch when not on a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ write: (t) => (out += t), isTTY: false });
    bar.epochBegin(0, 5, 938);
    for (let s = 1; s <= 938; s++) bar.batchEnd(s, { loss: 1 / s });
    bar.epochEnd({ loss: 0.29501, accuracy: 0.91654 });
    const lines = out.split('\n');
    expect(lines[0]).toBe('Epoch 1/5');
    expect(lines[1]).toMatch(/^938\/938 \[={30}\] - \d+s \d+(ms|us)\/step - loss: 0\.2950 - accuracy: 0\.9165$/);
    expect(lines).toHaveLength(3);
  });

  it('redraws in place with an ETA on a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ write: (t) => (out += t), isTTY: true });
    bar.epochBegin(1, 2, 10);
    bar.batchEnd(5, { loss: 0.5 });
    expect(out).toMatch(/Epoch 2\/2\n\r 5\/10 \[={14}>\.{15}\] - ETA: \d+s - loss: 0\.5000/);
  });

  it('counts steps as "n/Unknown" when the number of steps is not known yet (datasets)', () => {
    let out = '';
    const bar = new ProgressBar({ write: (t) => (out += t), isTTY: false });
    bar.epochBegin(0, 1, 0);
    for (let s = 1; s <= 7; s++) bar.batchEnd(s, { loss: 1 });
    bar.epochEnd({ loss: 0.5 });
    expect(out.split('\n')[1]).toMatch(/^7\/Unknown - \d+s \d+(ms|us)\/step - loss: 0\.5000$/);
  });

  it("lineOnly (Keras' verbose=2) prints no bar, even on a terminal: one line per epoch", () => {
    let out = '';
    const bar = new ProgressBar({ write: (t) => (out += t), isTTY: true }, true);
    bar.epochBegin(0, 2, 938);
    for (let s = 1; s <= 938; s++) bar.batchEnd(s, { loss: 1 / s });
    bar.epochEnd({ loss: 0.29501, accuracy: 0.91654 });
    expect(out.split('\n')).toEqual(['Epoch 1/2', expect.stringMatching(/^938\/938 - \d+s - \d+(ms|us)\/step - loss: 0\.2950 - accuracy: 0\.9165$/), '']);
  });
});
