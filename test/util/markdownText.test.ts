import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeMarkdown } from '../../src/util/markdownText';

// VS Code renders hovers with marked: the escaped text must render as exactly the same text.
let parse: (md: string) => string;
before(async () => {
  // marked is an ES module; this test file compiles to CommonJS.
  const { marked } = await import('marked');
  parse = (md) => marked.parse(md, { async: false }) as string;
});
const rendered = (md: string): string => parse(md);
const plain = (html: string): string =>
  html
    .replace(/^<p>|<\/p>\n?$/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

describe('layer names in hovers (trusted Markdown)', () => {
  it('a command link, a remote image and HTML in a name render as literal text', () => {
    for (const name of [
      '[x](command:glassbox.selectLayer?["file:///etc/hostname",0,true])',
      '![](https://example.invalid/beacon.png)',
      '<img src=x onerror=alert(1)>',
      '**bold** `code` $(zap) # heading',
      '<https://example.invalid>',
    ]) {
      const html = rendered(`**Layer 1: ${escapeMarkdown(name)}**`);
      assert.doesNotMatch(html, /<a |<img |<code>|<h1>/, `${name} → ${html}`);
      assert.equal(plain(html), `<strong>Layer 1: ${name}</strong>`);
    }
  });

  it('any printable string is shown as itself (property test)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const name = s.replace(/[\u0000-\u001f\u007f\s]+/g, 'x').replace(/^x*|x*$/g, '') || 'n';
        const html = rendered(`**Layer: ${escapeMarkdown(name)}**`);
        assert.doesNotMatch(html, /<a |<img /);
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});
