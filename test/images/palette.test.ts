import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { montage, sparkline } from '../../src/images/charts';
import { contrastRatio, IMAGE_PALETTES, type ThemeKind } from '../../src/images/palette';
import type { Rgb } from '../../src/images/canvas';

/** `editorHoverWidget.background` of VS Code's built-in themes of each kind. */
const HOVER_BACKGROUNDS: Record<ThemeKind, Record<string, Rgb>> = {
  dark: { 'Dark Modern': [0x20, 0x20, 0x20], 'Dark+': [0x25, 0x25, 0x26] },
  light: { 'Light Modern': [0xf8, 0xf8, 0xf8], 'Light+': [0xf3, 0xf3, 0xf3] },
  highContrast: { 'Dark High Contrast': [0x0c, 0x14, 0x1f], black: [0, 0, 0] },
  highContrastLight: { 'Light High Contrast': [0xff, 0xff, 0xff] },
};

function pixels(uri: string): Uint8Array {
  const png = Buffer.from(uri.split(',')[1], 'base64');
  const width = png.readUInt32BE(16),
    height = png.readUInt32BE(20);
  const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    out.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  return out;
}

describe('hover image palettes', () => {
  for (const kind of Object.keys(IMAGE_PALETTES) as ThemeKind[])
    it(`${kind}: the sparkline and histogram stand out on the hover background (contrast ≥ 3:1)`, () => {
      const p = IMAGE_PALETTES[kind];
      for (const [theme, bg] of Object.entries(HOVER_BACKGROUNDS[kind])) {
        assert.ok(contrastRatio(p.line, bg) >= 3, `${theme}: line contrast ${contrastRatio(p.line, bg).toFixed(2)}`);
        assert.ok(contrastRatio(p.bar, bg) >= 3, `${theme}: bar contrast ${contrastRatio(p.bar, bg).toFixed(2)}`);
      }
    });

  it('dark: a feature map of mostly zeros is dark, not a white block', () => {
    const values = new Float32Array(4 * 6 * 6);
    values[0] = 1;
    values[1] = -1;
    const px = pixels(montage(values, [4, 6, 6], 16, 2, IMAGE_PALETTES.dark));
    let bright = 0,
      opaque = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) continue;
      opaque++;
      if (px[i] + px[i + 1] + px[i + 2] > 600) bright++;
    }
    assert.ok(opaque > 0 && bright === 0, `${bright} of ${opaque} pixels are near white`);
  });

  it('the sparkline is drawn in the palette line colour, two pixels thick', () => {
    const p = IMAGE_PALETTES.light;
    const px = pixels(sparkline([1, 1], 40, 10, p));
    let line = 0;
    for (let i = 0; i < px.length; i += 4)
      if (px[i + 3] && px[i] === p.line[0] && px[i + 1] === p.line[1] && px[i + 2] === p.line[2]) line++;
    assert.equal(line, 80);
  });
});
