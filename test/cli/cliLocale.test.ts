import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, writeFile } from '../helpers/tempDir';
import { join } from 'node:path';
import { displayWidth } from '../../src/cli/summaryTable';
import { glassbox } from './cliProcess';

/** The CLI speaks the language of LC_ALL / LC_MESSAGES / LANG: Simplified Chinese for zh_CN*. */
describe('glassbox in the terminal locale', () => {
  const dir = tempDir();
  const broken = writeFile(
    dir,
    'broken.nn.json',
    '{\n  "data": "boston",\n  "layers": [{ "type": "dense", "units": 0 }],\n  "loss": "meanSquaredError",\n  "optimizer": { "type": "sgd", "lr": 0.01 },\n  "training": { "epochs": 1, "evalEvery": 1 }\n}\n',
  );
  const syntax = writeFile(dir, 'syntax.nn.json', '{ "data": "boston" "layers": [] }');
  const env = (vars: Record<string, string>) => {
    const e: NodeJS.ProcessEnv = { ...process.env };
    delete e.LC_ALL;
    delete e.LC_MESSAGES;
    delete e.LANG;
    return { ...e, ...vars };
  };

  it('LANG=zh_CN.UTF-8: problems, the summary line and the usage are in Chinese', () => {
    const r = glassbox(['validate', broken], undefined, env({ LANG: 'zh_CN.UTF-8' }));
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      `${broken}:3:42: layers[0].units：必须 >= 1，得到的是 0`,
      `glassbox: ${broken}：1 个错误`,
    ]);
    const s = glassbox(['validate', syntax], undefined, env({ LANG: 'zh_CN.UTF-8' }));
    assert.ok(s.stderr.includes(`${syntax}:1:20: 语法错误：值之间需要 ','`), s.stderr);
    const usage = glassbox(['--help'], undefined, env({ LANG: 'zh_CN.UTF-8' }));
    assert.match(usage.stdout, /^用法：glassbox <命令> \[选项\]/);
  });

  it('LANG=zh_CN.UTF-8: the summary table is in Chinese and its columns line up (CJK characters are two columns wide)', () => {
    const r = glassbox(['summary', join('examples', 'E3.3.nn.json')], undefined, env({ LANG: 'zh_CN.UTF-8' }));
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('#  '));
    assert.ok(header && /层.*类型.*详情.*输出形状.*参数/.test(header), r.stdout);
    const rule = lines.find((l) => /^-+$/.test(l));
    assert.equal(rule?.length, Math.max(...lines.filter((l) => /^\d|^#|^ {3}/.test(l)).map(displayWidth)));
    // The parameters column ends at the same terminal column on every row.
    const rows = lines.filter((l) => /^\d+ /.test(l));
    assert.ok(rows.length >= 3);
    for (const row of rows) assert.equal(displayWidth(row), displayWidth(rows[0]), row);
  });

  it('LC_ALL wins over LANG, and LC_MESSAGES over LANG', () => {
    const zhOverEn = glassbox(['validate', broken], undefined, env({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' }));
    assert.match(zhOverEn.stderr, /必须 >= 1/);
    const enOverZh = glassbox(['validate', broken], undefined, env({ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }));
    assert.match(enOverZh.stderr, /must be >= 1, got 0/);
    const messages = glassbox(['validate', broken], undefined, env({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN' }));
    assert.match(messages.stderr, /必须 >= 1/);
  });

  it('any other locale (or none) is English', () => {
    const locales: Record<string, string>[] = [
      { LANG: 'en_US.UTF-8' },
      { LANG: 'de_DE.UTF-8' },
      { LANG: 'zh_TW.UTF-8' },
      {},
    ];
    for (const vars of locales) {
      const r = glassbox(['validate', broken], undefined, env(vars));
      assert.deepEqual(
        r.stderr.trim().split('\n'),
        [`${broken}:3:42: layers[0].units: must be >= 1, got 0`, `glassbox: ${broken}: 1 error`],
        JSON.stringify(vars),
      );
    }
  });
});
