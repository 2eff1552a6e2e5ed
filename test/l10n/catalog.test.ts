import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { formatMessage, localeFromEnv, placeholders, setLocale, supportedLocale, t } from '../../src/l10n';
import { errorText } from '../../src/util/errorText';
import { ShapeError, engineText } from '../../src/engine/errors';
import { loadBundle } from '../../src/util/l10nBundle';

afterEach(() => setLocale('en', undefined));

test('t: English is its own key; a bundle maps it; {n} takes the arguments in any order', () => {
  assert.equal(t('Layer {0}: {1}', 2, 'dense'), 'Layer 2: dense');
  setLocale('zh-cn', { 'Layer {0}: {1}': '第 {0} 层：{1}', 'swap {0} {1}': '{1} {0}' });
  assert.equal(t('Layer {0}: {1}', 2, 'dense'), '第 2 层：dense');
  assert.equal(t('swap {0} {1}', 'a', 'b'), 'b a');
  assert.equal(t('not in the bundle {0}', 1), 'not in the bundle 1');
  assert.equal(formatMessage('{0} and {2}', ['x']), 'x and {2}');
  assert.deepEqual(placeholders('{1} {0} {1}'), [0, 1]);
});

test('locales: zh_CN*, zh-cn, zh-Hans and zh-SG are Simplified Chinese; LC_ALL, then LC_MESSAGES, then LANG', () => {
  for (const tag of ['zh-cn', 'zh_CN.UTF-8', 'zh_CN', 'zh-Hans', 'zh_SG.GB2312', 'ZH-CN'])
    assert.equal(supportedLocale(tag), 'zh-cn', tag);
  for (const tag of ['en', 'en_US.UTF-8', 'C', 'POSIX', 'zh_TW.UTF-8', 'zh-hk', 'fr', '', undefined])
    assert.equal(supportedLocale(tag), 'en', String(tag));
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }), 'en');
  assert.equal(localeFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'zh-cn');
  assert.equal(localeFromEnv({ LANG: 'zh_CN.UTF-8', LC_ALL: '' }), 'zh-cn');
  assert.equal(localeFromEnv({}), 'en');
});

test('engine errors keep English messages and are shown from their template in the active locale', () => {
  const e = new ShapeError(
    engineText('Reshape: {0} has {1} values per example but {2} holds {3}', '[5]', 5, '[2, 2]', 4),
  );
  assert.equal(e.message, 'Reshape: [5] has 5 values per example but [2, 2] holds 4');
  assert.equal(errorText(e), e.message);
  setLocale('zh-cn', loadBundle('zh-cn'));
  assert.equal(errorText(e), 'Reshape：[5] 每个样本有 5 个值，但 [2, 2] 只能容纳 4 个');
  assert.equal(errorText(new Error('plain')), 'plain');
});

test('the shipped zh-cn bundle loads; English needs none', () => {
  assert.equal(loadBundle('en'), undefined);
  assert.equal(loadBundle('zh_CN.UTF-8')?.['Train'], '训练');
});
