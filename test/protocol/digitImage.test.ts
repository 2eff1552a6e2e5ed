import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { centreOfMass, digitImage, PEN_WIDTH, type Stroke } from '../../src/protocol/digitImage';

/** Rows and columns holding ink (> 0.05): [top, bottom, left, right], inclusive. */
function inkBox(img: Float32Array, size = 28): [number, number, number, number] {
  let top = size,
    bottom = -1,
    left = size,
    right = -1;
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (img[r * size + c] > 0.05)
        [top, bottom, left, right] = [Math.min(top, r), Math.max(bottom, r), Math.min(left, c), Math.max(right, c)];
  return [top, bottom, left, right];
}

/** A "7": a bar and a diagonal, in a drawing of side `s` at offset (ox, oy). */
const seven = (s: number, ox: number, oy: number): Stroke[] => [
  [
    [ox + 0.2 * s, oy + 0.1 * s],
    [ox + 0.8 * s, oy + 0.1 * s],
    [ox + 0.45 * s, oy + 0.9 * s],
  ],
];

describe('digitImage: strokes prepared as MNIST prepares its digits', () => {
  it('fits the inked digit in the 20×20 box, keeping its aspect ratio, and puts its centre of mass at the centre', () => {
    // A tall vertical stroke drawn in the top-left corner of a 280-pixel canvas.
    const img = digitImage([
      [
        [30, 10],
        [32, 150],
      ],
    ]);
    const [top, bottom, left, right] = inkBox(img);
    assert.ok(bottom - top + 1 >= 19 && bottom - top + 1 <= 21, `height ${bottom - top + 1}`);
    assert.ok(right - left + 1 <= 5, `a thin stroke stays thin: width ${right - left + 1}`);
    const [cx, cy] = centreOfMass(img, 28);
    assert.ok(Math.abs(cx - 14) < 0.1 && Math.abs(cy - 14) < 0.1, `centre of mass ${cx}, ${cy}`);
    assert.ok(Math.max(...img) === 1, 'full ink inside the stroke');
    assert.ok(img.every((v) => v >= 0 && v <= 1));
  });

  it("draws the pen at MNIST's thickness whatever the size the user drew at", () => {
    const ink = (img: Float32Array) => img.reduce((a, b) => a + b, 0);
    const small = digitImage(seven(40, 5, 5));
    const large = digitImage(seven(400, 100, 30));
    // Same shape, same scale after normalisation: the same image, up to anti-aliasing.
    let diff = 0;
    for (let i = 0; i < small.length; i++) diff = Math.max(diff, Math.abs(small[i] - large[i]));
    assert.ok(diff < 1e-5, `max difference ${diff}`);
    // A horizontal stroke 10 pixels long covers about 10 × PEN_WIDTH pixels of ink.
    const bar = digitImage([
      [
        [0, 0],
        [100, 0],
        [100, 100],
      ],
    ]);
    const length = 2 * (20 - PEN_WIDTH);
    assert.ok(Math.abs(ink(bar) - length * PEN_WIDTH) < 0.15 * length * PEN_WIDTH, `ink ${ink(bar)}`);
  });

  it('a wide digit fits the box by its width; no strokes give a blank image; a dot is a pen-sized blob', () => {
    const wide = digitImage([
      [
        [0, 50],
        [300, 60],
      ],
    ]);
    const [, , left, right] = inkBox(wide);
    assert.ok(right - left + 1 >= 19 && right - left + 1 <= 21, `width ${right - left + 1}`);
    assert.ok(digitImage([]).every((v) => v === 0));
    const dot = digitImage([[[50, 50]]]);
    const [cx, cy] = centreOfMass(dot, 28);
    assert.ok(Math.abs(cx - 14) < 0.1 && Math.abs(cy - 14) < 0.1);
    const area = dot.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(area - Math.PI * (PEN_WIDTH / 2) ** 2) < 1, `dot area ${area}`);
  });
});
