// km.layers' shape, merge, noise and regularization layers (TensorFlow.js' names; Keras' for the 1-D ones tfjs lacks), re-exported from the modules that hold each class and its factory.
export { activityRegularization, ActivityRegularization, type ActivityRegularizationArgs } from './activity_regularization.js';
export { cropping2D, Cropping2D, type Cropping2DArgs } from './cropping2d.js';
export { dot, Dot, type DotArgs } from './dot.js';
export { identity, Identity, type IdentityArgs } from './identity.js';
export { subtract, Subtract } from './merge.js';
export { maximum, minimum, Maximum, Minimum } from './min_max_merge.js';
export { gaussianNoise, gaussianDropout, alphaDropout, AlphaDropout, GaussianDropout, GaussianNoise, type AlphaDropoutArgs, type GaussianNoiseArgs, type NoiseRateArgs } from './noise.js';
export { permute, Permute, type PermuteArgs } from './permute.js';
export { repeatVector, RepeatVector, type RepeatVectorArgs } from './repeat_vector.js';
export { rescaling, Rescaling, type RescalingArgs } from './rescaling.js';
export { zeroPadding1d, cropping1D, upSampling1d, Cropping1D, UpSampling1D, ZeroPadding1D, type Cropping1DArgs, type UpSampling1DArgs, type ZeroPadding1DArgs } from './spatial1d.js';
export { spatialDropout1d, spatialDropout2d, spatialDropout3d, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, type SpatialDropout1DArgs, type SpatialDropoutArgs, type SpatialDataFormat } from './spatial_dropout.js';
