import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COMPARED, savedFolders } from '../../src/protocol/compareProtocol';

describe('savedFolders: the Compare panel state a window reload restores from (untrusted)', () => {
  it('returns the compared folders', () => {
    assert.deepEqual(savedFolders({ weight: 0.6, metric: 'accuracy', folders: ['/w/a', '/w/b'] }), ['/w/a', '/w/b']);
  });

  it('rejects anything but 2 to MAX_COMPARED plain non-empty paths', () => {
    for (const state of [
      undefined,
      null,
      'folders',
      { weight: 0.6 }, // a panel saved before it showed a comparison
      { folders: ['/w/a'] },
      { folders: '/w/a,/w/b' },
      { folders: ['/w/a', 7] },
      { folders: ['/w/a', ''] },
      { folders: ['/w/a', 'x'.repeat(5000)] },
      { folders: ['/w/a', '/w/b\0'] },
      { folders: Array.from({ length: MAX_COMPARED + 1 }, (_, i) => `/w/${i}`) },
    ])
      assert.equal(savedFolders(state), undefined, JSON.stringify(state)?.slice(0, 80));
  });
});
