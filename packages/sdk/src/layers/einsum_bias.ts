import type { Backend, BufferId } from '../backend/backend.js';
import { AxisPermutation, permutationBetween } from './axis_permutation.js';
import type { EinsumLayout } from './einsum_equation.js';

/** The bias' scratch, views of the layer's workspace. */
export interface BiasScratch {
  /** The bias over every entry of its tail; in backward, the tail's gradient summed over the rows. */
  readonly full: BufferId;
  /** The bias as [constant axes, bias axes]; then that gradient in the same order. */
  readonly arranged: BufferId;
  /** Ones, one per entry of the axes the bias is constant along. */
  readonly ones: BufferId;
}

/**
 * EinsumDense's bias, Keras' shape: the output's last axes from the first bias axis on, 1 along
 * those it does not vary over (`'abcd'` with biasAxes 'b' gives `[b, 1, 1]`). The output is then
 * rows of that tail, and a bias varying along the whole tail adds to each row as it is stored.
 * Otherwise it is spread over the tail first: ones ⊗ bias as [constant axes, bias axes], one
 * matMul, then transposed to the tail's order; its gradient is the reverse, a column sum after
 * the transpose. Both work on one tail's worth of floats, not on the batch.
 */
export class EinsumBias {
  /** Floats of the tail: the columns the bias adds to. */
  readonly tail: number;
  /** Whether the bias varies along every axis of the tail of size above 1, so it is added as stored. */
  readonly direct: boolean;
  /** Entries of the axes it is constant along, and of those it varies along. */
  readonly #constant: number;
  readonly #varying: number;
  readonly #toTail: AxisPermutation;
  readonly #fromTail: AxisPermutation;

  constructor(layout: EinsumLayout) {
    const { biasTail, biasShape, size } = layout;
    const varying = biasTail.filter((_, i) => biasShape![i] !== 1);
    const constant = biasTail.filter((label) => !varying.includes(label));
    const entries = (labels: readonly string[]) => labels.reduce((product, label) => product * size.get(label)!, 1);
    [this.tail, this.#constant, this.#varying] = [entries(biasTail), entries(constant), entries(varying)];
    this.direct = this.#constant === 1;
    const arranged = [...constant, ...varying];
    this.#toTail = new AxisPermutation(arranged.map((label) => size.get(label)!), permutationBetween(arranged, biasTail));
    this.#fromTail = this.#toTail.inverse();
  }

  /** Floats of each scratch region, in {@link BiasScratch}'s order (none for a direct bias). */
  scratchSizes(): number[] {
    return this.direct ? [0, 0, 0] : [this.tail, this.tail, this.#constant];
  }

  /** The bias over its whole tail: the weight itself when direct, else spread into `s.full`. */
  full(b: Backend, bias: BufferId, s: BiasScratch): BufferId {
    if (this.direct) return bias;
    b.fill(s.ones, this.#constant, 1);
    b.matMul(s.ones, bias, s.arranged, this.#constant, this.#varying, 1, false, false, false);
    this.#toTail.apply(b, s.arranged, s.full, 1);
    return s.full;
  }

  /** dBias from dz, the gradient of the biased output (rows of the tail): each bias entry's is the sum over the entries it was added to. */
  gradient(b: Backend, dz: BufferId, rows: number, dBias: BufferId, s: BiasScratch): void {
    if (this.direct) {
      b.columnSum(dz, dBias, rows, this.tail, false);
      return;
    }
    b.columnSum(dz, s.full, rows, this.tail, false);
    this.#fromTail.apply(b, s.full, s.arranged, 1);
    b.columnSum(s.arranged, dBias, this.#constant, this.#varying, false);
  }
}
