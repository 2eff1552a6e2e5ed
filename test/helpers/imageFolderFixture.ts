import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels [h, w, 4] from a function of (x, y) → [r, g, b, a]. */
export function rgba(width: number, height: number, px: (x: number, y: number) => number[]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(px(x, y), (y * width + x) * 4);
  return out;
}

export function pngBytes(width: number, height: number, data: Uint8Array): Buffer {
  const png = new PNG({ width, height });
  png.data.set(data);
  return PNG.sync.write(png);
}

export function jpegBytes(width: number, height: number, data: Uint8Array, quality = 95): Buffer {
  return jpeg.encode({ width, height, data }, quality).data;
}

/** A small deterministic generator (no engine RNG: the fixture must not depend on what it tests). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * A folder of three classes that a small network tells apart: 'dark' (grey ~40), 'light'
 * (~215) and 'stripes' (vertical black and white bars), `perClass` images each, of varied sizes,
 * half PNG (some with colour, some with alpha) and half JPEG. Returns the folder.
 */
export function writeImageFolder(root: string, perClass = 12): string {
  const rand = lcg(7);
  const classes: Record<string, (x: number, y: number) => number> = {
    dark: () => 40 + (rand() - 0.5) * 40,
    light: () => 215 + (rand() - 0.5) * 40,
    stripes: (x) => (Math.floor(x / 3) % 2 === 0 ? 10 : 245),
  };
  for (const [name, value] of Object.entries(classes)) {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const w = 12 + 6 * (i % 3),
        h = 12 + 4 * (i % 2);
      const tint = i % 4 === 1; // a coloured image: greyscale must still see its brightness
      const px = rgba(w, h, (x, y) => {
        const v = Math.max(0, Math.min(255, Math.round(value(x, y))));
        return tint ? [Math.min(255, v + 20), v, Math.max(0, v - 20), 255] : [v, v, v, 255];
      });
      const file = i % 2 === 0 ? pngBytes(w, h, px) : jpegBytes(w, h, px);
      writeFileSync(join(dir, `${name}${String(i).padStart(2, '0')}${i % 2 === 0 ? '.png' : '.jpg'}`), file);
    }
  }
  return root;
}
