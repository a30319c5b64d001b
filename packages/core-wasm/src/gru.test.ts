import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { activationDerivativeRef, activationRef, ELEMENTWISE_ACTIVATIONS } from './test_activations.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

type Kind = (typeof ELEMENTWISE_ACTIVATIONS)[number];

// One GRU step (Keras' reset_after=False) in float64 from x·W + b, hPrev and U = [U_zr | U_h], with
// its backward pass by the chain rule through the pre-activations.
function gruStep(xw: Float32Array, hPrev: Float32Array | null, uzr: Float32Array, uh: Float32Array, dh: Float32Array, rows: number, units: number, act: Kind, rec: Kind) {
  const hp = (r: number, k: number) => (hPrev ? hPrev[r * units + k] : 0);
  const h: number[] = [], dxw: number[] = [], dhPrev: number[] = [];
  for (let r = 0; r < rows; r++) {
    const pre = (block: number, j: number) => xw[r * 3 * units + block * units + j];
    const zPre = Array.from({ length: units }, (_, j) => pre(0, j) + Array.from({ length: units }, (_, k) => hp(r, k) * uzr[k * 2 * units + j]).reduce((a, b) => a + b, 0));
    const rPre = Array.from({ length: units }, (_, j) => pre(1, j) + Array.from({ length: units }, (_, k) => hp(r, k) * uzr[k * 2 * units + units + j]).reduce((a, b) => a + b, 0));
    const z = zPre.map(activationRef[rec]);
    const rg = rPre.map(activationRef[rec]);
    const rh = rg.map((v, k) => v * hp(r, k));
    const hhPre = Array.from({ length: units }, (_, j) => pre(2, j) + rh.reduce((s, v, k) => s + v * uh[k * units + j], 0));
    const hh = hhPre.map(activationRef[act]);
    h.push(...z.map((g, j) => g * hp(r, j) + (1 - g) * hh[j]));
    const d = (j: number) => dh[r * units + j];
    const dz = z.map((_, j) => d(j) * (hp(r, j) - hh[j]) * activationDerivativeRef[rec](zPre[j]));
    const dhh = hh.map((_, j) => d(j) * (1 - z[j]) * activationDerivativeRef[act](hhPre[j]));
    const dRh = Array.from({ length: units }, (_, k) => dhh.reduce((s, v, j) => s + v * uh[k * units + j], 0));
    const dr = rg.map((_, k) => dRh[k] * hp(r, k) * activationDerivativeRef[rec](rPre[k]));
    dxw.push(...dz, ...dr, ...dhh);
    dhPrev.push(...Array.from({ length: units }, (_, k) =>
      d(k) * z[k] + dRh[k] * rg[k] + dz.reduce((s, v, j) => s + v * uzr[k * 2 * units + j], 0) + dr.reduce((s, v, j) => s + v * uzr[k * 2 * units + units + j], 0)));
  }
  return { h, dxw, dhPrev };
}

const cases: [number, number, Kind, Kind, boolean][] = [
  [1, 1, Activation.Tanh, Activation.HardSigmoid, false],
  [3, 5, Activation.Tanh, Activation.HardSigmoid, true],
  [4, 8, Activation.Tanh, Activation.Sigmoid, true],
  [2, 3, Activation.Relu, Activation.Sigmoid, true],
];

describe.each(FLAVORS)('GRU cell kernels (%s) with the GEMM between them, against a float64 step', (flavor) => {
  it.each(cases)('rows %i, units %i, activation %i, recurrent activation %i, previous state %s', async (rows, units, act, rec, withState) => {
    const core = await coreFor(flavor);
    const n = rows * units;
    const [xw, hPrev, uzr, uh, dh] = [randomArray(3 * n, 1, -2, 2), randomArray(n, 2), randomArray(2 * units * units, 3), randomArray(units * units, 4), randomArray(n, 5)];
    const ref = gruStep(xw, withState ? hPrev : null, uzr, uh, dh, rows, units, act, rec);
    const [z, pu, ph, puzr, puh, pdh, rh, p, q, pdhPrev, s, dRh] = [xw, withState ? hPrev : new Float32Array(n), new Float32Array(n), uzr, uh, dh,
      new Float32Array(n), new Float32Array(2 * n), new Float32Array(n), new Float32Array(n), new Float32Array(2 * n), new Float32Array(n)].map((a) => put(core, a));
    const hp = withState ? pu : 0;
    if (hp) core.gemm(false, false, rows, 2 * units, units, hp, units, puzr, 2 * units, p, 2 * units, false);
    core.gruGatesForward(z, hp ? p : 0, hp, rh, rows, units, rec);
    if (hp) core.gemm(false, false, rows, units, units, rh, units, puh, units, q, units, false);
    core.gruOutputForward(z, hp ? q : 0, hp, ph, rows, units, act);
    expectClose(get(core, ph, n), ref.h, 1e-5, 1e-6);

    core.gruOutputBackward(z, hp, pdh, hp ? pdhPrev : 0, q, rows, units, act, rec);
    if (hp) core.gemm(false, true, rows, units, units, q, units, puh, units, dRh, units, false);
    core.gruGatesBackward(z, hp, hp ? dRh : 0, hp ? pdhPrev : 0, s, rows, units, rec);
    if (hp) core.gemm(false, true, rows, units, 2 * units, s, 2 * units, puzr, 2 * units, pdhPrev, units, true);
    expectClose(get(core, z, 3 * n), ref.dxw, 1e-4, 1e-5);
    if (hp) expectClose(get(core, pdhPrev, n), ref.dhPrev, 1e-4, 1e-5);
    // s holds the z and r blocks of each row's gradient.
    const sv = get(core, s, 2 * n);
    for (let r = 0; r < rows; r++) expect(Array.from(sv.subarray(r * 2 * units, (r + 1) * 2 * units))).toEqual(Array.from(get(core, z, 3 * n).subarray(r * 3 * units, r * 3 * units + 2 * units)));
  });
});
