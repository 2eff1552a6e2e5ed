import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kernelBackendName, setKernelPreference } from '../../src/engine/kernels/kernelBackend';
import { enableRelaxedSimd } from '../../src/util/enableRelaxedSimd';

describe('enableRelaxedSimd', () => {
  it('makes relaxed SIMD available on this Node, so the engine picks the fused-multiply-add kernels', () => {
    assert.equal(enableRelaxedSimd(), true);
    setKernelPreference('auto');
    assert.equal(kernelBackendName(), 'wasm-relaxed-simd');
  });
});
