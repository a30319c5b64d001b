// km.layers' convolutions over sequences, re-exported from the modules that hold each class and its factory.
export { conv1dTranspose, Conv1DTranspose, type Conv1DTransposeArgs } from './conv1d_transpose.js';
export { convLstm1d, ConvLSTM1D, type ConvLSTM1DArgs } from './conv_lstm1d.js';
export { convLstm2d, ConvLSTM2D, type ConvLSTM2DArgs } from './conv_lstm2d.js';
export { convLstm3d, ConvLSTM3D, type ConvLSTM3DArgs } from './conv_lstm3d.js';
export { depthwiseConv1d, DepthwiseConv1D, type DepthwiseConv1DArgs } from './depthwise_conv1d.js';
export { separableConv1d, SeparableConv1D, type SeparableConv1DArgs } from './separable_conv1d.js';
