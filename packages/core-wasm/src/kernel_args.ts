// The argument lists the window, pooling and resize kernels take, from their geometries.
import { depthAxis, type ResizeGeometry, type ResizeGrid, type WindowGeometry } from './geometry.js';

/** The resize kernels' geometry arguments, in their order. */
export function resizeArgs(g: ResizeGeometry): number[] {
  return [g.batch, g.inH, g.inW, g.channels, g.cropTop, g.cropLeft, g.cropH, g.cropW, g.outH, g.outW];
}

/** The grid resize kernels' arguments after x and y, in their order. */
export function resizeGridArgs(g: ResizeGrid): number[] {
  return [g.batch, g.inH, g.inW, g.channels, g.outH, g.outW, Number(g.alignCorners), Number(g.halfPixelCenters)];
}

/** Floats in one image (or volume) of the input and in its rows of im2col's columns. */
export function convImageSizes(g: WindowGeometry): [number, number] {
  const [inD, kD, , , , outD] = depthAxis(g);
  return [inD * g.inH * g.inW * g.channels, outD * g.outH * g.outW * kD * g.kH * g.kW * g.channels];
}

/** Floats in one image (or volume) of the input and of the pooled output. */
export function imageSizes(g: WindowGeometry): [number, number] {
  const [inD, , , , , outD] = depthAxis(g);
  return [inD * g.inH * g.inW * g.channels, outD * g.outH * g.outW * g.channels];
}

/** Taps in one pooling window. */
export function windowSize(g: WindowGeometry): number {
  return (g.kD ?? 1) * g.kH * g.kW;
}

export function convArgs(g: WindowGeometry, batch = g.batch): number[] {
  return [batch, g.inH, g.inW, g.channels, g.kH, g.kW, g.strideH, g.strideW, g.dilationH, g.dilationW, g.padTop, g.padLeft, g.outH, g.outW, ...depthAxis(g), g.groups ?? 1];
}

export function poolArgs(g: WindowGeometry, batch = g.batch): number[] {
  const [inD, kD, strideD, dilationD, padFront, outD] = depthAxis(g);
  if (g.dilationH !== 1 || g.dilationW !== 1 || dilationD !== 1) {
    throw new Error(`Pooling supports dilation 1 only. Received: dilation=[${g.dilationH}, ${g.dilationW}]${g.inD === undefined ? '' : `, dilationD=${dilationD}`}.`);
  }
  return [batch, g.inH, g.inW, g.channels, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, inD, kD, strideD, padFront, outD];
}
