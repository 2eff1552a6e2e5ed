import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { maxDataBytes } from './fileAccess';
import { t } from '../l10n';

/*
 * PNG and JPEG decoding for the imageFolder source, with the libraries pngjs and jpeg-js (pure
 * JavaScript: nothing native to build for each platform VS Code runs on). The size an image
 * decodes to is read from its header first, so a small file declaring 20000×20000 pixels is
 * refused before a decoder allocates its 1.6 GB.
 */

export type ImageFormat = 'png' | 'jpeg';

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
}

/** Decoded pixels: 8-bit RGBA, row-major, [height, width, 4]. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A problem with one image, in the user's words (the caller adds the file's path). */
export class ImageProblem extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'ImageProblem';
  }
}

/** File names the imageFolder source reads (by extension, any case). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/**
 * The most pixels one image may have: 16.8 million (4096×4096, 64 MiB as RGBA; Pillow warns at
 * 89 million), or fewer when GLASSBOX_MAX_DATA_BYTES is small.
 */
export function maxImagePixels(): number {
  return Math.min(2 ** 24, Math.floor(maxDataBytes() / 4));
}

/** The largest image file read: 64 MiB, or the data limit when that is smaller. */
export function maxImageFileBytes(): number {
  return Math.min(2 ** 26, maxDataBytes());
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Format and size from the first bytes (the format by its signature, whatever the extension says). */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes);
  const start = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ImageProblem(
    bytes.length === 0
      ? t('the file is empty (expected a PNG or JPEG image)')
      : t('not a PNG or JPEG image: it starts with the bytes {0}', start),
  );
}

/** PNG: the IHDR chunk comes first, width and height big-endian at bytes 16 and 20. */
function pngHeader(bytes: Uint8Array): ImageHeader {
  const ihdr = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 24 || ihdr !== 'IHDR')
    throw new ImageProblem(t('truncated or damaged PNG: no image header (IHDR) after the signature'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/** JPEG: walk the marker segments to the frame header (SOF0–SOF15 but DHT, JPG and DAC). */
function jpegHeader(bytes: Uint8Array): ImageHeader {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new ImageProblem(t('damaged JPEG: no marker at byte {0}', at));
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) break;
      const height = (bytes[at + 5] << 8) | bytes[at + 6];
      const width = (bytes[at + 7] << 8) | bytes[at + 8];
      return { format: 'jpeg', width, height };
    }
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    at += 2 + length;
  }
  throw new ImageProblem(t('truncated or damaged JPEG: no frame header giving its size'));
}

/**
 * Decodes a PNG or JPEG to RGBA after checking its declared size against `maxPixels`. Throws
 * ImageProblem (too large, truncated, damaged) with the decoder's reason.
 */
export function decodeImage(bytes: Uint8Array, maxPixels = maxImagePixels()): RgbaImage {
  const head = readImageHeader(bytes);
  if (head.width === 0 || head.height === 0)
    throw new ImageProblem(t('the image header declares {0}×{1} pixels', head.width, head.height));
  if (head.width * head.height > maxPixels)
    throw new ImageProblem(
      t(
        'the image is {0}×{1} pixels, more than the {2} million pixels an image may have (decoding it would take {3} MiB); make it smaller',
        head.width,
        head.height,
        (maxPixels / 1e6).toFixed(1),
        Math.ceil((head.width * head.height * 4) / 2 ** 20),
      ),
      true,
    );
  try {
    if (head.format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
    });
    return { width: img.width, height: img.height, data: img.data };
  } catch (e) {
    const raw = (e as Error).message || String(e);
    // pngjs reports a file that ends early as pending reads on a finished stream.
    const why = /read requests|unexpected end/i.test(raw) ? t('the file ends before the image data does') : raw;
    throw new ImageProblem(
      head.format === 'png'
        ? t('cannot decode the PNG image ({0})', why)
        : t('cannot decode the JPEG image ({0})', why),
    );
  }
}
