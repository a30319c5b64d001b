// km.layers' wrapper layers, re-exported from the modules that hold each class and its factory.
export { bidirectional, Bidirectional, type BidirectionalArgs, type BidirectionalMergeMode } from './bidirectional.js';
export { timeDistributed, TimeDistributed, type TimeDistributedArgs } from './time_distributed.js';
export { Wrapper, type WrapperArgs } from './wrapper.js';
