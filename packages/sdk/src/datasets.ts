export { mnist, type MnistData, type MnistLoadOptions, type MnistSplit } from './data/datasets/mnist.js';
