// km.image: tfjs-core's tf.image ops, computed on the host.
export { cropAndResize } from './crop_and_resize.js';
export { flipLeftRight } from './flip_left_right.js';
export { grayscaleToRGB, rgbToGrayscale } from './grayscale.js';
export {
  nonMaxSuppression, nonMaxSuppressionAsync, nonMaxSuppressionPadded, nonMaxSuppressionPaddedAsync,
  nonMaxSuppressionWithScore, nonMaxSuppressionWithScoreAsync,
} from './non_max_suppression.js';
export { resizeBilinear, resizeNearestNeighbor } from './resize.js';
export { rotateWithOffset } from './rotate_with_offset.js';
export { threshold } from './threshold.js';
export { transform } from './transform.js';
