// C[m×n] = (accumulate ? C : 0) + op(A)·op(B), row-major f32.
//
// Goto-style blocking: a KC×NC block of op(B) is packed into 8-column panels, an MC×KC
// block of op(A) into MR-row panels (both zero-padded), and an MR×8 register tile walks
// the panels. V8 gives wasm 15 vector registers, and its scheduler (Node 20) hoists every
// load of a loop iteration above the arithmetic, so all MR broadcasts, both B vectors and the
// 2·MR accumulators are live at once: 3·MR + 2 (+1 product without relaxed_madd) ≤ 15 means
// MR = 4. A 5×8 or 6×8 tile spilled 2-4 accumulators per step and ran at ~60 % of a 4×8.
import { madd } from './simd';
import { activateRange, LINEAR } from './activations';
import { biasAdd } from './elementwise';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
// A multiple of MR, so only the last block of rows can need a padded panel.
const MC: i32 = 120;
const NC: i32 = 512;

const PACK_A_BYTES: usize = <usize>(MC * KC) << 2;
const PACK_B_BYTES: usize = <usize>(KC * NC) << 2;
const TILE_BYTES: usize = <usize>(8 * NR) << 2;

/** Bytes of scratch the caller must pass to gemm (packed panels and one edge tile). */
export function gemmScratchBytes(): i32 {
  return <i32>(PACK_A_BYTES + PACK_B_BYTES + TILE_BYTES);
}

/** Full 4-row panel of op(A) = A^T: each p is one contiguous v128. */
function packA4Trans(a: usize, lda: i32, i0: i32, p0: i32, kc: i32, panel: usize): void {
  let src = a + (<usize>(p0 * lda + i0) << 2);
  const step = <usize>lda << 2;
  for (let p = 0; p < kc; p++) {
    v128.store(panel + (<usize>p << 4), v128.load(src));
    src += step;
  }
}

/** Full 4-row panel of op(A) = A: 4×4 register transposes of the row-major rows. */
function packA4(a: usize, lda: i32, i0: i32, p0: i32, kc: i32, panel: usize): void {
  const r0 = a + (<usize>(i0 * lda + p0) << 2);
  const step = <usize>lda << 2;
  const r1 = r0 + step, r2 = r1 + step, r3 = r2 + step;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const off = <usize>p << 2;
    const x0 = v128.load(r0 + off), x1 = v128.load(r1 + off);
    const x2 = v128.load(r2 + off), x3 = v128.load(r3 + off);
    const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
    const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
    const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
    const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
    const out = panel + (<usize>p << 4);
    v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
    v128.store(out, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
    v128.store(out, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
    v128.store(out, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
  }
  for (; p < kc; p++) {
    const off = <usize>p << 2;
    const out = panel + (<usize>p << 4);
    store<f32>(out, load<f32>(r0 + off));
    store<f32>(out, load<f32>(r1 + off), 4);
    store<f32>(out, load<f32>(r2 + off), 8);
    store<f32>(out, load<f32>(r3 + off), 12);
  }
}

/** Packs rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into MR-row panels: panel[p*MR + r]. */
function packA(transA: bool, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const panel = dst + (<usize>(ir * kc) << 2);
    if (mr == MR) {
      if (transA) packA4Trans(a, lda, i0 + ir, p0, kc, panel);
      else packA4(a, lda, i0 + ir, p0, kc, panel);
    } else if (transA) {
      // op(A)[i][p] = A[p][i]: the MR values for one p are contiguous.
      for (let p = 0; p < kc; p++) {
        const src = a + (<usize>((p0 + p) * lda + i0 + ir) << 2);
        const out = panel + (<usize>(p * MR) << 2);
        let r = 0;
        for (; r < mr; r++) store<f32>(out + (<usize>r << 2), load<f32>(src + (<usize>r << 2)));
        for (; r < MR; r++) store<f32>(out + (<usize>r << 2), 0);
      }
    } else {
      // Read each row contiguously and scatter it with stride MR.
      let r = 0;
      for (; r < mr; r++) {
        const src = a + (<usize>((i0 + ir + r) * lda + p0) << 2);
        const out = panel + (<usize>r << 2);
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const v = v128.load(src + (<usize>p << 2));
          const o = out + (<usize>(p * MR) << 2);
          store<f32>(o, f32x4.extract_lane(v, 0));
          store<f32>(o, f32x4.extract_lane(v, 1), MR * 4);
          store<f32>(o, f32x4.extract_lane(v, 2), MR * 8);
          store<f32>(o, f32x4.extract_lane(v, 3), MR * 12);
        }
        for (; p < kc; p++) store<f32>(out + (<usize>(p * MR) << 2), load<f32>(src + (<usize>p << 2)));
      }
      for (; r < MR; r++) {
        const out = panel + (<usize>r << 2);
        for (let p = 0; p < kc; p++) store<f32>(out + (<usize>(p * MR) << 2), 0);
      }
    }
  }
}

/** Packs rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into 8-column panels: panel[p*8 + j]. */
function packB(transB: bool, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const panel = dst + (<usize>(jr * kc) << 2);
    if (transB) {
      // op(B)[p][j] = B[j][p]: read each stored row contiguously, scatter with stride 8.
      let j = 0;
      for (; j < nr; j++) {
        const src = b + (<usize>((j0 + jr + j) * ldb + p0) << 2);
        const out = panel + (<usize>j << 2);
        for (let p = 0; p < kc; p++) store<f32>(out + (<usize>(p * NR) << 2), load<f32>(src + (<usize>p << 2)));
      }
      for (; j < NR; j++) {
        const out = panel + (<usize>j << 2);
        for (let p = 0; p < kc; p++) store<f32>(out + (<usize>(p * NR) << 2), 0);
      }
    } else if (nr == NR) {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((p0 + p) * ldb + j0 + jr) << 2);
        const out = panel + (<usize>(p * NR) << 2);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize>((p0 + p) * ldb + j0 + jr) << 2);
        const out = panel + (<usize>(p * NR) << 2);
        let j = 0;
        for (; j < nr; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
        for (; j < NR; j++) store<f32>(out + (<usize>j << 2), 0);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    lo = f32x4.add(lo, v128.load(c));
    hi = f32x4.add(hi, v128.load(c, 16));
  }
  v128.store(c, lo);
  v128.store(c, hi, 16);
}

/** 4×8 tile: c (row stride ldcBytes) (+)= packed A panel · packed B panel over kc. */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  storeRow(c, c00, c01, add);
  storeRow(c + ldcBytes, c10, c11, add);
  storeRow(c + 2 * ldcBytes, c20, c21, add);
  storeRow(c + 3 * ldcBytes, c30, c31, add);
}

// @ts-ignore: decorator
@inline
function kernel(kc: i32, pa: usize, pb: usize, c: usize, ldcBytes: usize, add: bool): void {
  kernel4x8(kc, pa, pb, c, ldcBytes, add);
}

/** Partial tile: run the full kernel on a padded copy, then write back the mr×nr corner. */
function edgeTile(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      store<f32>(tile + (<usize>(r * NR + j) << 2), add ? load<f32>(c + (<usize>(r * ldc + j) << 2)) : 0);
    }
  }
  kernel(kc, pa, pb, tile, <usize>NR << 2, true);
  for (let r = 0; r < mr; r++) {
    for (let j = 0; j < nr; j++) {
      store<f32>(c + (<usize>(r * ldc + j) << 2), load<f32>(tile + (<usize>(r * NR + j) << 2)));
    }
  }
}

/** Rows of C's block: += bias[c] (when bias ≠ 0), then the element-wise activation, in place. */
function epilogue(c: usize, ldc: i32, rows: i32, cols: i32, bias: usize, activation: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = c + (<usize>(r * ldc) << 2);
    if (bias) biasAdd(row, bias, 1, cols);
    activateRange(activation, row, row, cols);
  }
}

/**
 * C[m×n] = f((accumulate ? C : 0) + op(A)·op(B) + bias). op(A) is m×k (A stored k×m when
 * transA), op(B) is k×n (B stored n×k when transB); bias is n floats or 0 for none; f is an
 * element-wise activation kind (LINEAR for none; not SOFTMAX). The bias and f are applied to each
 * block of C right after its last k block, while it is still in cache, with the same float
 * operations as biasAdd and activationForward. `scratch` holds gemmScratchBytes() bytes.
 */
export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32,
  accumulate: bool, scratch: usize, bias: usize, activation: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * ldc) << 2), 0, <usize>n << 2);
    }
    if (bias || activation != LINEAR) epilogue(c, ldc, m, n, bias, activation);
    return;
  }
  const fused = bias != 0 || activation != LINEAR;
  const packedA = scratch;
  const packedB = scratch + PACK_A_BYTES;
  const tile = packedB + PACK_B_BYTES;
  // Split k into equal blocks (784 -> 4×196 rather than 3×256 + 16).
  const kBlocks = (k + KC - 1) / KC;
  const kStep = (k + kBlocks - 1) / kBlocks;
  const ldcBytes = <usize>ldc << 2;

  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kStep) {
      const kc = min(kStep, k - pc);
      const add = accumulate || pc > 0;
      packB(transB, b, ldb, pc, jc, kc, nc, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(transA, a, lda, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = packedB + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = packedA + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (mr == MR && nr == NR) kernel(kc, pa, pb, cp, ldcBytes, add);
            else edgeTile(kc, pa, pb, cp, ldc, mr, nr, add, tile);
          }
        }
        if (fused && pc + kc >= k) {
          epilogue(c + (<usize>(ic * ldc + jc) << 2), ldc, mc, nc, bias ? bias + (<usize>jc << 2) : 0, activation);
        }
      }
    }
  }
}
