import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { placeholders, setLocale } from '../../src/l10n/catalog';
import { schemaNoun } from '../../src/modelFile/schemaCheck';
import { catalogMessages, ROOT } from './l10nSource';

/**
 * Every English message has its Chinese one, with the same `{n}` places: the runtime catalog
 * (l10n/bundle.l10n.json, generated from the code by `npm run l10n`, and its zh-cn bundle) and the
 * manifest (package.nls.json and package.nls.zh-cn.json).
 */
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, string>;

function assertSameKeys(english: Record<string, string>, chinese: Record<string, string>, what: string) {
  const missing = Object.keys(english).filter((k) => typeof chinese[k] !== 'string' || chinese[k].trim() === '');
  assert.deepEqual(missing, [], `${what}: messages with no Chinese translation`);
  const stale = Object.keys(chinese).filter((k) => !(k in english));
  assert.deepEqual(stale, [], `${what}: Chinese entries for messages no longer in the English bundle`);
  const differ = Object.keys(english).filter(
    (k) => placeholders(english[k]).join() !== placeholders(chinese[k]).join(),
  );
  assert.deepEqual(differ, [], `${what}: {n} placeholders differ between English and Chinese`);
}

test('the English runtime bundle holds exactly the messages the code passes to the catalog (npm run l10n)', () => {
  const fromCode = [...new Set(catalogMessages().map((m) => m.text))].sort();
  assert.deepEqual(Object.keys(readJson('l10n/bundle.l10n.json')).sort(), fromCode);
});

test('every message of the English runtime bundle has a Chinese translation with the same placeholders', () => {
  assertSameKeys(readJson('l10n/bundle.l10n.json'), readJson('l10n/bundle.l10n.zh-cn.json'), 'l10n bundle');
});

test('every manifest string of package.nls.json has a Chinese translation with the same placeholders', () => {
  assertSameKeys(readJson('package.nls.json'), readJson('package.nls.zh-cn.json'), 'package.nls');
});

test('package.json names its manifest strings by %key% and every key is in package.nls.json', () => {
  const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const nls = readJson('package.nls.json');
  const used = [...manifest.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]);
  assert.ok(used.length > 40, `package.json uses ${used.length} %key% strings`);
  assert.deepEqual(
    used.filter((k) => !(k in nls)),
    [],
    'keys used in package.json but not in package.nls.json',
  );
  assert.deepEqual(
    Object.keys(nls).filter((k) => !used.includes(k)),
    [],
    'package.nls.json keys not used',
  );
  const pkg = JSON.parse(manifest) as { contributes: Record<string, unknown>; description: string };
  const literal = (v: unknown): boolean => typeof v === 'string' && !/^%[\w.-]+%$/.test(v);
  for (const c of (pkg.contributes.commands as { title: string; category: string }[]) ?? [])
    assert.ok(!literal(c.title) && !literal(c.category), `command title not localised: ${c.title}`);
  assert.ok(!literal(pkg.description), 'the description is not localised');
  // Localised files (the walkthrough's images with words in them) exist in both languages.
  for (const bundle of ['package.nls.json', 'package.nls.zh-cn.json'])
    for (const [k, v] of Object.entries(readJson(bundle)))
      if (/\.(svg|png|md)$/.test(v)) assert.ok(existsSync(join(ROOT, v)), `${bundle}: ${k} names a missing file ${v}`);
});

test('the catalog test would see a missing translation or a changed placeholder', () => {
  assert.throws(() => assertSameKeys({ 'a {0}': 'a {0}', b: 'b' }, { 'a {0}': '甲' }, 'x'));
  assert.throws(() => assertSameKeys({ 'a {0}': 'a {0}' }, { 'a {0}': '甲 {1}' }, 'x'));
  assert.doesNotThrow(() => assertSameKeys({ 'a {0}': 'a {0}' }, { 'a {0}': '{0} 甲' }, 'x'));
});

test("every title of the model-file schema (the nouns of the validator's messages) is translated", () => {
  const titles = new Set<string>();
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      const title = (o as { title?: unknown }).title;
      if (typeof title === 'string') titles.add(title);
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(readFileSync(join(ROOT, 'schemas', 'glassbox-model.schema.json'), 'utf8')));
  assert.ok(titles.size > 20);
  setLocale('zh-cn', readJson('l10n/bundle.l10n.zh-cn.json'));
  try {
    const untranslated = [...titles].filter((x) => schemaNoun(x) === x);
    assert.deepEqual(untranslated, []);
  } finally {
    setLocale('en', undefined);
  }
});
