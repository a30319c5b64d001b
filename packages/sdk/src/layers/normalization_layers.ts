// The km.layers factories of Keras 3's GroupNormalization, UnitNormalization and RMSNormalization, each checking its options.
import { checkOptions } from '../utils/options.js';
import { GroupNormalization, type GroupNormalizationArgs } from './group_normalization.js';
import { GROUP_NORMALIZATION_OPTIONS, RMS_NORMALIZATION_OPTIONS, UNIT_NORMALIZATION_OPTIONS } from './layer_options.js';
import { RMSNormalization, type RMSNormalizationArgs } from './rms_normalization.js';
import { UnitNormalization, type UnitNormalizationArgs } from './unit_normalization.js';

/**
 * Normalises each sample's channel groups (last axis split into `groups`) over all positions, as Keras 3's
 * GroupNormalization; `groups: -1` is instance normalization.
 * @example `km.layers.groupNormalization({ groups: 8 })`
 */
export function groupNormalization(args?: GroupNormalizationArgs): GroupNormalization {
  checkOptions(args, GROUP_NORMALIZATION_OPTIONS, 'km.layers.groupNormalization');
  return new GroupNormalization(args);
}

/**
 * Scales each sample to unit L2 norm along `axis` (default -1), as Keras 3's UnitNormalization.
 * @example `km.layers.unitNormalization({ axis: -1 })`
 */
export function unitNormalization(args?: UnitNormalizationArgs): UnitNormalization {
  checkOptions(args, UNIT_NORMALIZATION_OPTIONS, 'km.layers.unitNormalization');
  return new UnitNormalization(args);
}

/**
 * Scales each sample by the reciprocal of its root mean square over `axis` (default -1) and a learned
 * `scale`, as Keras 3's RMSNormalization (no centring, unlike layerNormalization).
 * @example `km.layers.rmsNormalization({ axis: -1, epsilon: 1e-6 })`
 */
export function rmsNormalization(args?: RMSNormalizationArgs): RMSNormalization {
  checkOptions(args, RMS_NORMALIZATION_OPTIONS, 'km.layers.rmsNormalization');
  return new RMSNormalization(args);
}

export { GroupNormalization, RMSNormalization, UnitNormalization, type GroupNormalizationArgs, type RMSNormalizationArgs, type UnitNormalizationArgs };
