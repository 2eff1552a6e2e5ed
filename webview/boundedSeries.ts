/**
 * Keeps a chart's series bounded for runs of any length: past `max` points, every other point is
 * dropped (the curve keeps its shape at half the resolution, oldest to newest), so memory and
 * drawing time stay flat however long a run streams.
 */
export function pushBounded<T>(series: T[], max: number, ...points: T[]): void {
  for (const p of points) series.push(p);
  while (series.length > max) {
    let w = 0;
    // Keep even indices, and always the newest point.
    for (let r = 0; r < series.length; r += 2) series[w++] = series[r];
    if (series.length % 2 === 0) series[w++] = series[series.length - 1];
    series.length = w;
  }
}
