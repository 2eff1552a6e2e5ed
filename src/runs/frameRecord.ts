import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryFrameMessage } from '../protocol/telemetry';
import { writeFileAtomic } from './atomicWrite';
import { t } from '../l10n';

/**
 * frame.json in a run folder: the run's last telemetry frame (per-layer statistics and the probe
 * sample's activations, gradients and op graph), so that after a reload the Network and Probe
 * tabs, the Feature Maps view and the training doctor show the run as it ended. Typed arrays are
 * stored as base64 of their bytes (exact, NaN and Inf included); the rest is plain JSON.
 */
const FORMAT = 'glassbox-frame/1';
const TYPED = { Float32Array, Float64Array, Uint32Array, Int32Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

interface Encoded {
  readonly __typed: TypedName;
  readonly base64: string;
}

/** A deep copy of the frame with every typed array as base64 (call before the arrays are transferred). */
export function encodeFrame(frame: TelemetryFrameMessage): unknown {
  const enc = (v: unknown): unknown => {
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as TypedName;
      if (!(name in TYPED)) throw new Error(`frame.json: cannot store a ${name}`);
      return {
        __typed: name,
        base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
      } satisfies Encoded;
    }
    if (Array.isArray(v)) return v.map(enc);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)]));
    return typeof v === 'number' && !Number.isFinite(v) ? { __number: String(v) } : v;
  };
  return { format: FORMAT, frame: enc(frame) };
}

export function decodeFrame(stored: unknown, file = 'frame.json'): TelemetryFrameMessage {
  const s = stored as { format?: unknown; frame?: unknown };
  if (s?.format !== FORMAT)
    throw new Error(
      t("{0}: unsupported frame format '{1}' (this Glassbox reads {2})", file, String(s?.format), FORMAT),
    );
  const dec = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(dec);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.__typed === 'string' && typeof o.base64 === 'string') {
        const Ctor = TYPED[o.__typed as TypedName];
        if (!Ctor) throw new Error(t('{0}: unknown array type {1}', file, String(o.__typed)));
        const bytes = Buffer.from(o.base64, 'base64');
        const copy = new Uint8Array(bytes.length);
        copy.set(bytes); // aligned, owned memory
        return new Ctor(copy.buffer, 0, bytes.length / Ctor.BYTES_PER_ELEMENT);
      }
      if (typeof o.__number === 'string') return Number(o.__number);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, dec(x)]));
    }
    return v;
  };
  return dec(s.frame) as TelemetryFrameMessage;
}

export function writeFrameRecord(folder: string, encoded: unknown): void {
  writeFileAtomic(join(folder, 'frame.json'), JSON.stringify(encoded));
}

/** The run's last frame, or undefined when the record has none (older records, telemetry off). */
export function readFrameRecord(folder: string): TelemetryFrameMessage | undefined {
  const file = join(folder, 'frame.json');
  if (!existsSync(file)) return undefined;
  return decodeFrame(JSON.parse(readFileSync(file, 'utf8')), file);
}
