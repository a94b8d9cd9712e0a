import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDn } from './index';

describe('parseDn', () => {
  const good: Array<[string, string]> = [
    ['CN=root,OU=JOC,O=JS7', 'CN=root,OU=JOC,O=JS7'],
    ['  cn = root , ou=JOC ; o=JS7 ', 'CN=root,OU=JOC,O=JS7'],
    ['CN=Smith\\, John,O=ACME', 'CN=Smith\\, John,O=ACME'],
    ['CN="Smith, John",C=de', 'CN=Smith\\, John,C=DE'],
    ['E=ops@example.com,CN=x', 'EMAILADDRESS=ops@example.com,CN=x'],
    ['2.5.4.3=byoid', 'CN=byoid'],
    // ZWNJ and ZWJ are part of Persian and Indic spelling.
    ['CN=می\u200cخواهم', 'CN=می\u200cخواهم'],
    ['CN=क्\u200dष', 'CN=क्\u200dष'],
  ];
  for (const [input, normal] of good)
    it(`accepts ${input}`, () =>
      assert.deepEqual(parseDn(input), { ok: true, value: normal, warnings: [] }));

  const many = (n: number) => Array.from({ length: n }, (_, i) => `OU=u${i}`).join(',');
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['root', /"root" is not an attribute/],
    ['XX=1', /"XX" is not a known attribute type/],
    ['CN=', /CN has no value/],
    ['CN=a,C=Germany', /two-letter code/],
    ['CN="open', /never closed/],
    ['=x', /no type/],
    [`CN=${'x'.repeat(65)}`, /at most 64 characters/],
    ['CN=a=b', /contains "="/],
    ['CN=a\u0000b', /^CN contains the control character U\+0000: write printable text\.$/],
    ['CN=a\\00b', /^CN contains the control character U\+0000/],
    ['CN=ok,O=\u001b[31mred', /^O contains the control character U\+001B/],
    [
      'CN=root\u200b',
      /^CN contains the invisible character U\+200B, which can make one name look like another: remove it\.$/,
    ],
    ['CN=root,O=\u202eSJ7', /^O contains the invisible character U\+202E/],
    ['CN=\u2066root\u2069', /^CN contains the invisible character U\+2066/],
    ['CN=ro\u00adot', /U\+00AD/],
    ['CN=\ufeffroot', /U\+FEFF/],
    ['CN=root\u{e0041}', /^CN contains the invisible character U\+E0041/],
    ['CN=\ud800x', /^CN contains a broken character/],
    [`CN=a,${many(20)}`, /has 21 attributes: at most 20 are accepted/],
    [`CN=a,${many(59_999)}`, /characters: at most 16384 are accepted/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input).slice(0, 60)}`, () => {
      const r = parseDn(input);
      assert.ok(!r.ok && r.reason === 'invalid-dn');
      assert.match(r.message, message);
    });
  }
});

describe('parseDn: invisible characters', () => {
  it('Mongolian vowel separator and visible Arabic signs are accepted; Hangul fillers are refused', () => {
    for (const dn of ['CN=\u182d\u1820\u1837\u180e\u1820', 'CN=\u0600\u0661\u0662'])
      assert.ok(parseDn(dn).ok, dn);
    for (const [dn, code] of [
      ['CN=root\u3164', 'U+3164'],
      ['CN=root\uffa0', 'U+FFA0'],
    ]) {
      const result = parseDn(dn);
      assert.equal(result.ok, false, dn);
      if (!result.ok) assert.deepEqual([result.code, result.params?.code], ['dnInvisible', code]);
    }
  });
});

describe('parseDn: escaped bytes', () => {
  it('reads a run of \\XX escapes as UTF-8, as RFC 4514 writes them', () => {
    const value = (dn: string) => {
      const parsed = parseDn(dn);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
      return parsed.value;
    };
    assert.equal(value('CN=M\\C3\\BCller'), 'CN=Müller');
    assert.equal(value('CN=\\E6\\97\\A5\\E6\\9C\\AC'), 'CN=日本');
    // Not UTF-8: each byte stays a character, as before.
    assert.equal(value('CN=a\\E9b'), 'CN=aéb');
  });

  it('an escaped BOM or zero-width space is refused like a typed one', () => {
    for (const dn of ['CN=root\\EF\\BB\\BF', 'CN=\\EF\\BB\\BFroot', 'CN=root\\E2\\80\\8B']) {
      const parsed = parseDn(dn);
      assert.equal(parsed.ok, false, dn);
      if (!parsed.ok) assert.equal(parsed.code, 'dnInvisible');
    }
  });
});
