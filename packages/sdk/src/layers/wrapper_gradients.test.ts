import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkRecurrentGradients } from '../testing/recurrent_gradient_check.js';
import { denseReference, gruReference, lstmReference, simpleRnnReference, type LstmReferenceOptions } from '../testing/recurrent_reference.js';

beforeAll(() => km.ready());

type Reference = (x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: LstmReferenceOptions) => number[][];
const MERGE: Record<string, (a: number[], b: number[]) => number[]> = {
  concat: (a, b) => [...a, ...b],
  sum: (a, b) => a.map((v, i) => v + b[i]),
  mul: (a, b) => a.map((v, i) => v * b[i]),
  ave: (a, b) => a.map((v, i) => (v + b[i]) / 2),
};

/** Keras' Bidirectional from the float64 cell: a forward run, a goBackwards run put back in time order, merged per step. */
function bidirectionalReference(reference: Reference, o: LstmReferenceOptions, mergeMode: string) {
  return (x: number[][], [fk, fr, fb, bk, br, bb]: number[][]): number[][] => {
    const forward = reference(x, fk, fr, fb, { ...o, goBackwards: false });
    const backward = reference(x, bk, br, bb, { ...o, goBackwards: true });
    const inTimeOrder = o.returnSequences ? [...backward].reverse() : backward;
    return forward.map((h, t) => MERGE[mergeMode](h, inTimeOrder[t]));
  };
}

const names = ['forward kernel', 'forward recurrent_kernel', 'forward bias', 'backward kernel', 'backward recurrent_kernel', 'backward bias'];

describe('Bidirectional gradients against float64 finite differences (input through a Dense before it, every weight of both directions)', () => {
  it.each([
    { cell: 'lstm', returnSequences: true, mergeMode: 'concat' },
    { cell: 'lstm', returnSequences: false, mergeMode: 'concat' },
    { cell: 'gru', returnSequences: true, mergeMode: 'sum' },
    { cell: 'gru', returnSequences: true, mergeMode: 'mul' },
    { cell: 'gru', returnSequences: false, mergeMode: 'ave' },
    { cell: 'gru', returnSequences: true, mergeMode: 'concat', resetAfter: true },
    { cell: 'simpleRNN', returnSequences: true, mergeMode: 'mul' },
  ] as { cell: string; returnSequences: boolean; mergeMode: 'concat' | 'sum' | 'mul' | 'ave'; resetAfter?: boolean }[])('$cell, returnSequences $returnSequences, mergeMode $mergeMode, resetAfter $resetAfter', async (c) => {
    const options = { units: 3, returnSequences: c.returnSequences, biasInitializer: 'glorotUniform' as const };
    const recurrentActivation = c.cell === 'gru' ? 'sigmoid' : 'hardSigmoid';
    const layer = c.cell === 'lstm' ? km.layers.lstm(options) : c.cell === 'gru' ? km.layers.gru({ ...options, recurrentActivation, resetAfter: c.resetAfter }) : km.layers.simpleRNN(options);
    const reference: Reference = c.cell === 'lstm' ? lstmReference : c.cell === 'gru' ? gruReference : simpleRnnReference;
    const o = { units: 3, activation: 'tanh', recurrentActivation, returnSequences: c.returnSequences, goBackwards: false, resetAfter: c.resetAfter };
    await checkRecurrentGradients({ data: 41, weights: 9 }, 4, km.layers.bidirectional({ layer, mergeMode: c.mergeMode }), bidirectionalReference(reference, o, c.mergeMode), names);
  });
});

describe('TimeDistributed gradients against float64 finite differences', () => {
  it('TimeDistributed(Dense(tanh)): the same kernel and bias at every step', async () => {
    const layer = km.layers.timeDistributed({ layer: km.layers.dense({ units: 4, activation: 'tanh', biasInitializer: 'glorotUniform' }) });
    const perStep = (x: number[][], [kernel, bias]: number[][]) => denseReference(x, kernel, bias).map((row) => row.map(Math.tanh));
    await checkRecurrentGradients({ data: 43, weights: 10 }, 4, layer, perStep, ['kernel', 'bias']);
  });
});
