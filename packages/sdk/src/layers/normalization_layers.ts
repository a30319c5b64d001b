// km.layers' Keras 3's GroupNormalization, UnitNormalization and RMSNormalization, re-exported from the modules that hold each class and its factory.
export { groupNormalization, GroupNormalization, type GroupNormalizationArgs } from './group_normalization.js';
export { rmsNormalization, RMSNormalization, type RMSNormalizationArgs } from './rms_normalization.js';
export { unitNormalization, UnitNormalization, type UnitNormalizationArgs } from './unit_normalization.js';
