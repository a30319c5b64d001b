// km.linalg: tfjs-core's tf.linalg ops.
export { bandPart } from './band_part.js';
export { gramSchmidt } from './gram_schmidt.js';
export { qr } from './qr.js';
