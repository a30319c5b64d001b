// km.regularizers: weight penalties for layers' kernelRegularizer and biasRegularizer.
export { l1, l2, l1l2, type Regularizer, type RegularizerName } from './regularizers.js';
