import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { encodePng } from '../../src/images/png';
import { histogramImage, montage, sparkline } from '../../src/images/charts';

/** Reads back width, height and the filter-0 scanlines of a PNG we wrote. */
function decode(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16),
    height = png.readUInt32BE(20);
  const idatLen = png.readUInt32BE(33);
  assert.equal(png.toString('ascii', 37, 41), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return { width, height, rgba };
}

describe('PNG hover images', () => {
  it('round-trips pixels through the encoder', () => {
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 1, 2, 3, 4]);
    const d = decode(encodePng(2, 2, rgba));
    assert.deepEqual([d.width, d.height, [...d.rgba]], [2, 2, [...rgba]]);
  });
  it('draws a sparkline with painted pixels, and marks NaN in magenta', () => {
    const uri = sparkline([1, 0.5, 0.1, NaN, 0.01]);
    const d = decode(Buffer.from(uri.replace('data:image/png;base64,', ''), 'base64'));
    let painted = 0,
      magenta = 0;
    for (let i = 0; i < d.rgba.length; i += 4) {
      if (d.rgba[i + 3] > 0) painted++;
      if (d.rgba[i] === 255 && d.rgba[i + 1] === 0 && d.rgba[i + 2] === 255) magenta++;
    }
    assert.ok(painted > 20 && magenta > 0, `${painted} painted, ${magenta} magenta`);
  });
  it('draws a single sample as a flat line across the sparkline, not a lone pixel', () => {
    const d = decode(Buffer.from(sparkline([0.3]).replace('data:image/png;base64,', ''), 'base64'));
    let painted = 0;
    for (let i = 3; i < d.rgba.length; i += 4) if (d.rgba[i] > 0) painted++;
    assert.ok(painted >= d.width, `${painted} painted pixels`);
  });
  it('sizes a montage by its tiles and a histogram by its request', () => {
    const m = decode(
      Buffer.from(montage(new Float32Array(16 * 4 * 4).fill(1), [16, 4, 4], 16, 2).split(',')[1], 'base64'),
    );
    assert.deepEqual([m.width, m.height], [8 * (4 * 2 + 2), 2 * (4 * 2 + 2)]);
    const h = decode(Buffer.from(histogramImage([1, 4, 9], 30, 10).split(',')[1], 'base64'));
    assert.deepEqual([h.width, h.height], [30, 10]);
  });
});
