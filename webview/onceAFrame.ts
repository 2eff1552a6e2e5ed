/**
 * Wraps `draw` so that any number of calls within one animation frame draw once, at that frame:
 * points arrive many times a second, the chart is redrawn at most at the display's rate.
 */
export function onceAFrame(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}
