import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Control, ControlWord } from '../../src/worker/controlWord';

describe('ControlWord', () => {
  it('release() turns Hold into Run and leaves a pause or stop given while held', () => {
    const c = new ControlWord();
    c.set(Control.Hold);
    c.release();
    assert.equal(c.value, Control.Run);
    c.set(Control.Hold);
    c.set(Control.Pause);
    c.release();
    assert.equal(c.value, Control.Pause, 'a pause given while held was lost');
    c.set(Control.Stop);
    c.release();
    assert.equal(c.value, Control.Stop);
  });

  it('release() of a run that was not held changes nothing', () => {
    const c = new ControlWord();
    c.set(Control.Step);
    c.release();
    assert.equal(c.value, Control.Step);
  });
});
