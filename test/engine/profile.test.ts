import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOOK, MODERN, profileWith, QUIRK_NAMES } from '../../src/engine';

describe('profileWith', () => {
  it('switches the named quirks only and keeps the base profile name', () => {
    const p = profileWith('book', { bookGlorot: false });
    assert.equal(p.name, 'book');
    assert.equal(p.bookGlorot, false);
    for (const q of QUIRK_NAMES) if (q !== 'bookGlorot') assert.equal(p[q], BOOK[q], q);
    assert.ok(Object.isFrozen(p));
  });
  it('returns the shared profile when nothing is switched (a quirk set to its base value switches nothing)', () => {
    assert.equal(profileWith('book'), BOOK);
    assert.equal(profileWith('modern', { bookGlorot: false }), MODERN);
    assert.equal(profileWith('book', { bookGlorot: true }), BOOK);
  });
  it('names every behaviour of the profile as a quirk', () => {
    assert.deepEqual(
      [...QUIRK_NAMES].sort(),
      Object.keys(BOOK)
        .filter((k) => k !== 'name')
        .sort(),
    );
  });
});
