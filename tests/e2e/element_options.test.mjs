// The element's option attributes and view state (www/element/options.js), without a browser:
// attributes over the `options` JSON, values that do not parse left out, the state without the
// file's name or day, and the URL hash holding one state per element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeOptions, mergeOptions, stateOptions, parseSections, coreSections, hashKey, readHash, writeHash } from '../../www/element/options.js';

/** An element stand-in with these attributes. */
const host = (attrs) => ({ getAttribute: (name) => attrs[name] ?? null, id: attrs.id ?? '' });

test('option attributes apply over the options JSON, each at its path', () => {
  const got = attributeOptions(host({ options: '{"rfm":{"bins":3,"method":"rank_first"},"clv":{"model":"pnbd"}}', bins: '4', k: 'auto', 'as-of': '2024-06-30', 'horizon-days': '60', 'clv-months': '6', 'clv-model': 'bgnbd', 'tie-rule': 'r_quantile' }));
  assert.deepEqual(got, {
    rfm: { bins: 4, method: 'r_quantile' },
    clv: { model: 'bgnbd', horizon_months: 6 },
    as_of: '2024-06-30',
    cluster: { k: null },
    propensity: { horizon_days: 60 },
  });
});

test('what does not parse is left out with a warning; the core checks the values', (t) => {
  const warn = t.mock.method(console, 'warn', () => {});
  assert.deepEqual(attributeOptions(host({ options: '{not json', bins: 'five', k: '4' })), { cluster: { k: 4 } });
  assert.deepEqual(attributeOptions(host({ options: '[1,2]' })), {});
  assert.equal(warn.mock.callCount(), 3);
  // Out of range is the core's to refuse (it names the path): passed through as given.
  assert.deepEqual(attributeOptions(host({ bins: '42' })), { rfm: { bins: 42 } });
});

test('the options object is not changed in place', () => {
  const options = '{"rfm":{"bins":3}}';
  const first = attributeOptions(host({ options, bins: '4' }));
  const second = attributeOptions(host({ options }));
  assert.deepEqual(first.rfm, { bins: 4 });
  assert.deepEqual(second.rfm, { bins: 3 });
  assert.deepEqual(mergeOptions({ rfm: { bins: 3, method: 'rank_min' } }, { rfm: { bins: 5 }, as_of: '2024-01-01' }), { rfm: { bins: 5, method: 'rank_min' }, as_of: '2024-01-01' });
});

test("the view state keeps options, never the file's name or the day", () => {
  assert.deepEqual(stateOptions({ ingest: { file_name: 'x.csv', today: '2026-12-01', date_order: 'dmy' }, rfm: { bins: 4 } }), { ingest: { date_order: 'dmy' }, rfm: { bins: 4 } });
  assert.deepEqual(stateOptions({ ingest: { file_name: 'x.csv' } }), {});
  assert.deepEqual(parseSections(' rfm, clv  quality '), ['rfm', 'clv', 'quality']);
  assert.equal(parseSections(''), null);
  assert.equal(parseSections(null), null);
});

test('the hash holds one state per element in its own parameter, and keeps the rest as it is', () => {
  assert.equal(hashKey(host({ 'hash-state': 'left', id: 'a' })), 'clientele.left');
  assert.equal(hashKey(host({ 'hash-state': '', id: 'a' })), 'clientele.a');
  assert.equal(hashKey(host({ 'hash-state': 'a&b=c' })), 'clientele.a%26b%3Dc');
  assert.equal(hashKey(host({ 'hash-state': '' })), 'clientele.1');
  const a = { version: 1, options: { rfm: { bins: 4 } }, sections: null, lang: null };
  const b = { version: 1, options: {}, sections: ['rfm'], lang: 'zh-Hant' };
  // A plain #anchor and another app's parameters stay byte for byte, in their places.
  const start = '#pricing&tab=plans&q=a%20b';
  const one = writeHash(start, 'clientele.a', a);
  assert.ok(one.startsWith(`${start}&clientele.a=`), one);
  const two = writeHash(one, 'clientele.b', b);
  assert.ok(two.startsWith(`${one}&clientele.b=`), two);
  // Writing one element's state again changes its own piece only.
  const again = writeHash(two, 'clientele.a', { ...a, lang: 'en' });
  assert.deepEqual(again.split('&').filter((p) => !p.startsWith('clientele.a=')), two.split('&').filter((p) => !p.startsWith('clientele.a=')));
  assert.deepEqual(readHash(again, 'clientele.a'), { ...a, lang: 'en' });
  assert.deepEqual(readHash(again, 'clientele.b'), b);
  assert.equal(readHash(again, 'clientele.c'), null);
  assert.equal(readHash('#clientele.a=%7Bnot', 'clientele.a'), null);
  assert.equal(readHash('#pricing', 'clientele.a'), null);
  assert.equal(writeHash('', 'clientele.a', {}), '#clientele.a=%7B%7D');
  // Other readers of the hash still see their parameters, and ours decodes as one value.
  const params = new URLSearchParams(again.slice(1));
  assert.equal(params.get('tab'), 'plans');
  assert.deepEqual(JSON.parse(params.get('clientele.b')), b);
});

test('the sections shown become the core sections computed', () => {
  assert.equal(coreSections(null), null);
  assert.deepEqual(coreSections(['rfm', 'clusters']), ['rfm', 'clusters']);
  assert.deepEqual(coreSections(['quality', 'crosssell', 'customers']), ['rfm', 'cross_sell']);
  assert.deepEqual(coreSections(['target']).sort(), ['clusters', 'clv', 'cross_sell', 'lifecycle', 'propensity', 'rfm']);
  // An id the page does not know goes to the core as written, which refuses it by name.
  assert.deepEqual(coreSections(['rfm', 'cohort']), ['rfm', 'cohort']);
});
