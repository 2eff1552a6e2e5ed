import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chartCsv, csvText } from '../../src/protocol/chartCsv';
import { chartSvg, niceTicks, xmlText } from '../../src/protocol/chartSvg';
import type { ChartData } from '../../src/protocol/chartData';

const hostile = 'E4.7 <script>alert("x")</script> & \'q\', =HYPERLINK("http://evil")';
const data: ChartData = {
  title: 'Loss <of> runs',
  xLabel: 'epoch',
  yLabel: 'loss',
  series: [
    {
      label: hostile,
      color: '#3794ff',
      points: [
        { x: 1, y: 0.5 },
        { x: 2, y: 0.25 },
        { x: 3, y: NaN },
      ],
    },
    {
      label: 'E4.8, "dropout"',
      color: 'red;" onload="alert(1)',
      dashed: true,
      markers: true,
      points: [{ x: 2, y: 0.3 }],
    },
  ],
};

/** Parses CSV per RFC 4180 (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

/**
 * A strict well-formedness check for the XML the serializer writes: one root, tags balanced and
 * nested, attributes quoted, no raw `<` or bare `&` in text or attribute values.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let roots = 0;
  let pos = 0;
  while ((m = token.exec(body))) {
    pos = token.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const entities = /&(?!(amp|lt|gt|quot|apos|#\d+);)/;
    if (text !== undefined) {
      assert.ok(!entities.test(text), `bare & in text: ${text}`);
      if (stack.length === 0) assert.match(text, /^\s*$/, 'text outside the root');
      continue;
    }
    assert.ok(!entities.test(attrs ?? ''), `bare & in attributes: ${attrs}`);
    if (close) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  assert.equal(pos, body.length, `unparsable XML at ${pos}: ${body.slice(pos, pos + 60)}`);
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.equal(roots, 1, 'one root element');
}

describe('chartCsv', () => {
  it('has one row per point after the header, with the series named in every row', () => {
    const rows = parseCsv(chartCsv(data));
    assert.deepEqual(rows[0], ['series', 'epoch', 'loss']);
    assert.equal(rows.length - 1, 4);
    assert.equal(rows[1][0], hostile);
    assert.deepEqual(rows[2].slice(1), ['2', '0.25']);
    assert.equal(rows[3][2], 'NaN');
    assert.deepEqual(rows[4], ['E4.8, "dropout"', '2', '0.3']);
  });

  it('adds the raw values when the curves are smoothed', () => {
    const smoothed: ChartData = {
      ...data,
      series: [{ label: 'a', color: '#000', points: [{ x: 0, y: 1.5 }], raw: [2] }],
    };
    assert.deepEqual(parseCsv(chartCsv(smoothed)), [
      ['series', 'epoch', 'loss', 'raw'],
      ['a', '0', '1.5', '2'],
    ]);
  });

  it('quotes every text field and defuses spreadsheet formulas', () => {
    assert.equal(csvText('a"b'), '"a""b"');
    assert.equal(csvText('=1+1'), `"'=1+1"`);
    assert.equal(csvText('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(csvText('-2'), `"'-2"`);
    assert.equal(csvText('line\nbreak'), '"line\nbreak"');
  });
});

describe('chartSvg', () => {
  const svg = chartSvg(data, { foreground: '#cccccc', grid: 'rgba(128,128,128,0.35)', background: '#1e1e1e' });

  it('is well-formed XML with one path per line series, markers, a legend and both axis titles', () => {
    assertWellFormed(svg);
    assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal((svg.match(/<path d="M[^"]*" fill="none" stroke="#3794ff"/g) ?? []).length, 1);
    assert.equal((svg.match(/<circle cx=/g) ?? []).length, 1 + 1); // one marker, one legend dot
    assert.match(svg, />epoch</);
    assert.match(svg, />loss</);
    assert.match(svg, /fill="#1e1e1e"/);
  });

  it('escapes labels and refuses colours that would break out of an attribute', () => {
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('E4.7 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;q&apos;'));
    assert.ok(svg.includes('Loss &lt;of&gt; runs'));
    assert.ok(!svg.includes('onload'));
    assert.ok(svg.includes('fill="#888888"'), 'the bad colour became grey');
  });

  it('breaks the line at a non-finite point rather than drawing through it', () => {
    const d = (svg.match(/<path d="(M[^"]*)" fill="none" stroke="#3794ff"/) ?? [])[1];
    assert.equal((d.match(/[ML]/g) ?? []).length, 2);
  });

  it('stays well-formed with no points, one point and control characters in labels', () => {
    for (const series of [[], [{ label: 'a\u0001\u0008b', color: '#fff', points: [{ x: 1, y: 1 }] }]]) {
      const s = chartSvg({ title: 't\u0000', xLabel: 'x', yLabel: 'y', series });
      assertWellFormed(s);
      assert.ok(!/[\u0000-\u0008]/.test(s));
    }
    assert.equal(xmlText('a\u0000b<'), 'ab&lt;');
  });

  it('ticks are round numbers spanning the data', () => {
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(3, 97), [0, 20, 40, 60, 80, 100]);
  });
});
