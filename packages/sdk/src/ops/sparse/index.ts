// km.sparse: tfjs-core's tf.sparse ops on sparse tensors given as index tuples, values and a dense shape.
export { sparseFillEmptyRows, type SparseFillEmptyRows } from './sparse_fill_empty_rows.js';
export { sparseReshape, type SparseReshape } from './sparse_reshape.js';
export { sparseSegmentMean, sparseSegmentSum } from './sparse_segment_reduction.js';
