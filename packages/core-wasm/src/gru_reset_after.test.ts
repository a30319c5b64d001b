import { describe, it } from 'vitest';
import { Activation } from './activation.js';
import { activationDerivativeRef, activationRef, ELEMENTWISE_ACTIVATIONS } from './test_activations.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

type Kind = (typeof ELEMENTWISE_ACTIVATIONS)[number];

// One GRU step in Keras' reset_after=True form in float64, from x·W + b_input, hPrev, U [units,
// 3·units] and the recurrent bias, with its backward pass by the chain rule.
function gruResetAfterStep(xw: Float32Array, hPrev: Float32Array | null, u: Float32Array, bias: Float32Array | null, dh: Float32Array, rows: number, units: number, act: Kind, rec: Kind) {
  const hp = (r: number, k: number) => (hPrev ? hPrev[r * units + k] : 0);
  const h: number[] = [], dxw: number[] = [], dInner: number[] = [], dhPrev: number[] = [];
  for (let r = 0; r < rows; r++) {
    const inner = Array.from({ length: 3 * units }, (_, j) => (bias ? bias[j] : 0) + Array.from({ length: units }, (_, k) => hp(r, k) * u[k * 3 * units + j]).reduce((a, b) => a + b, 0));
    const pre = (block: number, j: number) => xw[r * 3 * units + block * units + j];
    const zPre = Array.from({ length: units }, (_, j) => pre(0, j) + inner[j]);
    const rPre = Array.from({ length: units }, (_, j) => pre(1, j) + inner[units + j]);
    const [z, rg] = [zPre.map(activationRef[rec]), rPre.map(activationRef[rec])];
    const hhPre = Array.from({ length: units }, (_, j) => pre(2, j) + rg[j] * inner[2 * units + j]);
    const hh = hhPre.map(activationRef[act]);
    h.push(...z.map((g, j) => g * hp(r, j) + (1 - g) * hh[j]));
    const d = (j: number) => dh[r * units + j];
    const dz = z.map((_, j) => d(j) * (hp(r, j) - hh[j]) * activationDerivativeRef[rec](zPre[j]));
    const dhh = hh.map((_, j) => d(j) * (1 - z[j]) * activationDerivativeRef[act](hhPre[j]));
    const dr = rg.map((_, j) => dhh[j] * inner[2 * units + j] * activationDerivativeRef[rec](rPre[j]));
    const di = [...dz, ...dr, ...dhh.map((v, j) => v * rg[j])];
    dxw.push(...dz, ...dr, ...dhh);
    dInner.push(...di);
    dhPrev.push(...Array.from({ length: units }, (_, k) => d(k) * z[k] + di.reduce((s, v, j) => s + v * u[k * 3 * units + j], 0)));
  }
  return { h, dxw, dInner, dhPrev };
}

const cases: [number, number, Kind, Kind, boolean, boolean][] = [
  [1, 1, Activation.Tanh, Activation.Sigmoid, false, true],
  [3, 5, Activation.Tanh, Activation.HardSigmoid, true, true],
  [4, 8, Activation.Tanh, Activation.Sigmoid, true, false],
  [2, 3, Activation.Relu, Activation.Sigmoid, true, true],
];

describe.each(FLAVORS)('GRU reset-after kernels (%s) with the GEMM between them, against a float64 step', (flavor) => {
  it.each(cases)('rows %i, units %i, activation %i, recurrent activation %i, previous state %s, bias %s', async (rows, units, act, rec, withState, withBias) => {
    const core = await coreFor(flavor);
    const n = rows * units;
    const [xw, hPrev, u, bias, dh] = [randomArray(3 * n, 1, -2, 2), randomArray(n, 2), randomArray(3 * units * units, 3), randomArray(3 * units, 4), randomArray(n, 5)];
    const ref = gruResetAfterStep(xw, withState ? hPrev : null, u, withBias ? bias : null, dh, rows, units, act, rec);
    const [z, ph, pu, pb, pdh, inner, pdhPrev] = [xw, withState ? hPrev : new Float32Array(n), u, bias, dh, new Float32Array(3 * n), new Float32Array(n)].map((a) => put(core, a));
    const hp = withState ? ph : 0;
    const b = withBias ? pb : 0;
    if (hp) core.gemm(false, false, rows, 3 * units, units, hp, units, pu, 3 * units, inner, 3 * units, false);
    const h = core.malloc(4 * n);
    core.gruResetAfterForward(z, inner, b, hp, h, rows, units, act, rec);
    expectClose(get(core, h, n), ref.h, 1e-5, 1e-6);

    core.gruResetAfterBackward(z, inner, b, hp, pdh, hp ? pdhPrev : 0, rows, units, act, rec);
    expectClose(get(core, z, 3 * n), ref.dxw, 1e-5, 1e-6);
    expectClose(get(core, inner, 3 * n), ref.dInner, 1e-5, 1e-6);
    if (hp) {
      core.gemm(false, true, rows, units, 3 * units, inner, 3 * units, pu, 3 * units, pdhPrev, units, true);
      expectClose(get(core, pdhPrev, n), ref.dhPrev, 1e-5, 1e-6);
    }
    for (const p of [z, ph, pu, pb, pdh, inner, pdhPrev, h]) core.free(p);
  });
});
