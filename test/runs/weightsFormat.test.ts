import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/data/dataError';
import { crc32, decodeWeights, encodeWeights } from '../../src/runs/weightsFormat';

const tensors = [
  { name: 'dense1.W', shape: [2, 3], data: Float64Array.from([1, -2, 3.5, 1e-300, Math.PI, -0]) },
  { name: 'dense1.B', shape: [1, 3], data: Float32Array.from([0.1, 0.2, 0.3]) },
  { name: 'rng/mt', shape: [2], data: Uint32Array.from([0xffffffff, 7]) },
  { name: 'order', shape: [3], data: Int32Array.from([2, 0, 1]) },
];

describe('Glassbox weights format (.gbw)', () => {
  it('round-trips names, shapes, dtypes, values and meta bit for bit', () => {
    const bytes = encodeWeights(tensors, { epoch: 3, bestLoss: null });
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), 'GLASSBOX');
    const back = decodeWeights(bytes);
    assert.deepEqual(back.meta, { epoch: 3, bestLoss: null });
    assert.deepEqual(back.tensors, tensors);
    assert.ok(Object.is(back.tensors[0].data[5], -0));
  });
  it('aligns every tensor to 8 bytes and checksums the payload (CRC-32)', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    const bytes = encodeWeights(tensors);
    const h = new DataView(bytes.buffer).getUint32(12, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + h)));
    assert.ok(header.tensors.every((t: { offset: number }) => t.offset % 8 === 0));
    assert.equal((bytes.length - header.payloadBytes) % 8, 0);
  });
  it('truncated, corrupted or foreign files are DataErrors with the byte', () => {
    const bytes = encodeWeights(tensors);
    const err = (b: Uint8Array) => {
      try {
        decodeWeights(b, 'w.gbw');
      } catch (e) {
        assert.ok(e instanceof DataError);
        return e.message;
      }
      return 'no error';
    };
    assert.match(
      err(bytes.subarray(0, bytes.length - 1)),
      /^w\.gbw: byte \d+: file is \d+ bytes, header describes \d+: truncated or damaged$/,
    );
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 1;
    assert.match(err(flipped), /payload checksum mismatch/);
    assert.match(err(new Uint8Array(40)), /^w\.gbw: byte 0: not a Glassbox weights file/);
  });
});
