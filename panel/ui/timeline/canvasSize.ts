/** Sizes a canvas for the device's pixel ratio, so lines and text are sharp and undistorted. */
export function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  // Draw in CSS pixels; the ratio maps them to device pixels.
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
