import type { Backend, BufferId, FusableActivation } from '../backend/backend.js';
import { AxisPermutation, MAX_TRANSPOSE_RANK, permutationBetween } from './axis_permutation.js';
import type { AxisRole, EinsumLayout } from './einsum_equation.js';

/** The contraction's scratch, views of the layer's workspace (0 where its layout needs none). */
export interface ContractionScratch {
  /** The input in the products' axis order [free, batched, contracted, reduced], kept for backward; then its gradient. */
  readonly input: BufferId;
  /** The input summed over its reduced axes, [free, batched, contracted]; then its gradient. */
  readonly summed: BufferId;
  /** Ones, one per reduced entry: summing over them and spreading the gradient back are products with them. */
  readonly ones: BufferId;
  /** The kernel as [contracted, batched, kernel-only], kept for backward. */
  readonly kernel: BufferId;
  readonly kernelGrad: BufferId;
  /** The product as [free, batched, kernel-only] before it takes the output's order; then the output gradient in that order. */
  readonly product: BufferId;
}

/**
 * An einsum of the input with the kernel as matrix products over existing kernels. Each axis is
 * free (input and output: the batch, the ellipsis), batched (all three), contracted (input and
 * kernel), reduced (input only: summed) or kernel-only (kernel and output). The input is laid out
 * [free, batched, contracted, reduced] and the kernel [contracted, batched, kernel-only], so that
 * the product is one GEMM per batched entry, each over column blocks at the strides of whole rows
 * (`groupedMatMul`; a plain `matMul` without batched axes), giving [free, batched, kernel-only].
 * Within each role the axes keep the input's order (kernel-only ones the output's), so the common
 * equations ('abc,cd->abd', 'abc,cde->abde', 'abcd,cde->abe', '...b,bc->...c', 'abc,bcd->abd')
 * copy no batch data, only at most the kernel.
 */
export class EinsumContraction {
  /** Per sample: entries of the free axes but the batch, and of the other roles. */
  readonly free: number;
  readonly batched: number;
  readonly contracted: number;
  readonly reduced: number;
  readonly kernelOnly: number;
  readonly #toGemmInput: AxisPermutation;
  readonly #fromGemmInput: AxisPermutation;
  readonly #toGemmKernel: AxisPermutation;
  readonly #fromGemmKernel: AxisPermutation;
  readonly #fromGemmOutput: AxisPermutation;
  readonly #toGemmOutput: AxisPermutation;
  readonly #layout: EinsumLayout;

  /** `describe` names the layer and equation in the error for a layout the transposes cannot make. */
  constructor(layout: EinsumLayout, describe: string) {
    this.#layout = layout;
    const { input, kernel, output, size, role } = layout;
    const ofRole = (labels: readonly string[], r: AxisRole) => labels.filter((label) => role.get(label) === r);
    const entries = (labels: readonly string[]) => labels.reduce((product, label) => product * size.get(label)!, 1);
    const [free, batched, contracted, reduced] = (['free', 'batched', 'contracted', 'reduced'] as const).map((r) => ofRole(input, r));
    const kernelOnly = ofRole(output, 'kernelOnly');
    [this.free, this.batched, this.contracted, this.reduced, this.kernelOnly] = [free, batched, contracted, reduced, kernelOnly].map(entries);
    const sizes = (labels: readonly string[]) => labels.map((label) => size.get(label)!);
    const permutation = (from: readonly string[], to: readonly string[], operand: string) => {
      const p = new AxisPermutation(sizes(from), permutationBetween(from, to), from.indexOf(layout.batch));
      if (p.rank > MAX_TRANSPOSE_RANK) {
        throw new Error(
          `${describe} reorders the ${operand}'s axes into ${p.rank} separate groups for its matrix products, more than kerasm's transposes take (${MAX_TRANSPOSE_RANK}). ` +
            'Write the equation with the axes that play the same part next to each other (free axes first in the input, contracted axes after them and first in the kernel), or reshape the input to fewer axes.',
        );
      }
      return p;
    };
    const gemmInput = [...free, ...batched, ...contracted, ...reduced];
    const gemmOutput = [...free, ...batched, ...kernelOnly];
    this.#toGemmInput = permutation(input, gemmInput, 'input');
    this.#fromGemmInput = this.#toGemmInput.inverse();
    this.#toGemmKernel = permutation(kernel, [...contracted, ...batched, ...kernelOnly], 'kernel');
    this.#fromGemmKernel = this.#toGemmKernel.inverse();
    this.#fromGemmOutput = permutation(gemmOutput, output, 'output');
    this.#toGemmOutput = this.#fromGemmOutput.inverse();
  }

  /** Whether the product lands in the output's order without batched axes, so one matMul can add a bias over its last axes and activate. */
  get fusable(): boolean {
    return this.batched === 1 && this.#fromGemmOutput.identity;
  }

  /** Floats of each scratch region for a batch, in {@link ContractionScratch}'s order. */
  scratchSizes(batch: number): number[] {
    const { size, input, output } = this.#layout;
    const perSample = (labels: readonly string[]) => labels.slice(1).reduce((product, label) => product * size.get(label)!, 1);
    const kernel = this.contracted * this.batched * this.kernelOnly;
    const summing = this.reduced > 1;
    return [
      this.#toGemmInput.identity ? 0 : batch * perSample(input),
      summing ? batch * this.free * this.batched * this.contracted : 0,
      summing ? this.reduced : 0,
      this.#toGemmKernel.identity ? 0 : kernel,
      this.#toGemmKernel.identity ? 0 : kernel,
      this.#fromGemmOutput.identity ? 0 : batch * perSample(output),
    ];
  }

  /**
   * output = einsum(input, kernel). With `epilogue` (only when {@link fusable}) the matMul adds its
   * bias over each row of kernel-only entries and applies its activation as it writes.
   */
  forward(b: Backend, x: BufferId, kernel: BufferId, y: BufferId, batch: number, s: ContractionScratch, epilogue?: { bias: BufferId; activation: FusableActivation }): void {
    const rows = batch * this.free;
    const lhs = this.#gemmInput(b, x, batch, s);
    const rhs = this.#toGemmKernel.identity ? kernel : s.kernel;
    if (!this.#toGemmKernel.identity) this.#toGemmKernel.apply(b, kernel, s.kernel, 1);
    if (epilogue) {
      b.matMulBiasActivation(lhs, rhs, epilogue.bias, y, rows, this.kernelOnly, this.contracted, epilogue.activation);
      return;
    }
    const product = this.#fromGemmOutput.identity ? y : s.product;
    this.#gemm(b, lhs, rhs, product, rows, this.kernelOnly, this.contracted, false, false);
    if (!this.#fromGemmOutput.identity) this.#fromGemmOutput.apply(b, s.product, y, batch);
  }

  /** The input in the products' order, summed over its reduced axes: the GEMMs' left operand. */
  #gemmInput(b: Backend, x: BufferId, batch: number, s: ContractionScratch): BufferId {
    const arranged = this.#toGemmInput.identity ? x : s.input;
    if (!this.#toGemmInput.identity) this.#toGemmInput.apply(b, x, s.input, batch);
    if (this.reduced === 1) return arranged;
    b.fill(s.ones, this.reduced, 1);
    b.matMul(arranged, s.ones, s.summed, batch * this.free * this.batched * this.contracted, 1, this.reduced, false, false, false);
    return s.summed;
  }

  /**
   * From the output gradient `dy` (left as it is unless the product needed reordering): the
   * kernel's gradient into `dKernel` and the input's into `dx`, each skipped where 0. Reads what
   * `forward` kept in the scratch, which it then overwrites.
   */
  backward(b: Backend, x: BufferId, kernel: BufferId, dy: BufferId, dKernel: BufferId, dx: BufferId, batch: number, s: ContractionScratch): void {
    const rows = batch * this.free;
    const dProduct = this.#fromGemmOutput.identity ? dy : s.product;
    if (!this.#fromGemmOutput.identity) this.#toGemmOutput.apply(b, dy, s.product, batch);
    const summing = this.reduced > 1;
    const lhs = summing ? s.summed : this.#toGemmInput.identity ? x : s.input;
    if (dKernel) {
      const target = this.#toGemmKernel.identity ? dKernel : s.kernelGrad;
      this.#gemm(b, lhs, dProduct, target, this.contracted, this.kernelOnly, rows, true, false);
      if (!this.#toGemmKernel.identity) this.#fromGemmKernel.apply(b, s.kernelGrad, dKernel, 1);
    }
    if (!dx) return;
    const arranged = this.#toGemmInput.identity ? dx : s.input;
    this.#gemm(b, dProduct, this.#toGemmKernel.identity ? kernel : s.kernel, summing ? s.summed : arranged, rows, this.contracted, this.kernelOnly, false, true);
    if (summing) {
      // A summed axis passes each entry the gradient of its sum.
      b.fill(s.ones, this.reduced, 1);
      b.matMul(s.summed, s.ones, arranged, rows * this.batched * this.contracted, this.reduced, 1, false, false, false);
    }
    if (!this.#toGemmInput.identity) this.#fromGemmInput.apply(b, s.input, dx, batch);
  }

  /** C = op(A)·op(B) for each batched entry: a plain matMul without batched axes. */
  #gemm(b: Backend, a: BufferId, bb: BufferId, c: BufferId, m: number, n: number, k: number, transA: boolean, transB: boolean): void {
    if (this.batched === 1) b.matMul(a, bb, c, m, n, k, transA, transB, false);
    else b.groupedMatMul(a, bb, c, this.batched, m, n, k, transA, transB, false);
  }
}
