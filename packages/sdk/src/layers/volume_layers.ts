// km.layers' 3-D (volume) layers, re-exported from the modules that hold each class and its factory:
// TensorFlow.js' names where it has the layer (conv3d, maxPooling3d, averagePooling3d), Keras' otherwise.
export { conv3d, Conv3D, type Conv3DArgs } from './conv3d.js';
export { conv3dTranspose, Conv3DTranspose, type Conv3DTransposeArgs } from './conv3d_transpose.js';
export { cropping3D, Cropping3D, type Cropping3DArgs } from './cropping3d.js';
export { globalMaxPooling3d, globalAveragePooling3d, GlobalAveragePooling3D, GlobalMaxPooling3D, type GlobalPooling3DArgs } from './global_pooling3d.js';
export { maxPooling3d, averagePooling3d, avgPool3d, avgPooling3d, AveragePooling3D, MaxPooling3D, type Pooling3DArgs } from './pooling3d.js';
export { upSampling3d, UpSampling3D, type UpSampling3DArgs } from './up_sampling3d.js';
export { zeroPadding3d, ZeroPadding3D, type ZeroPadding3DArgs } from './zero_padding3d.js';
