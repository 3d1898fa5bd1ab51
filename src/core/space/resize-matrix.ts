/**
 * Bilinear resizing along one axis as a matrix, with tfjs's half-pixel-centre rule (the one
 * the engine uses, as PyTorch's align_corners=False). An exported model does its resize as two
 * of these matrices in Dense layers, so it loads in plain tfjs without custom layers.
 */
export function bilinearResizeMatrix(inSize: number, outSize: number): Float32Array {
  const m = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const source = (o + 0.5) * scale - 0.5;
    const lower = Math.max(0, Math.floor(source));
    const upper = Math.min(inSize - 1, Math.ceil(source));
    const frac = source - Math.floor(source);
    m[o * inSize + lower] += 1 - frac;
    m[o * inSize + upper] += frac;
  }
  return m;
}
