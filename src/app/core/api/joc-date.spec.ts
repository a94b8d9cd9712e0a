import { parseJocDate } from './joc-date';

describe('parseJocDate', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['2036-11-28T11:54:32.000Z', '2036-11-28T11:54:32.000Z'],
    // Jackson (real JOC Cockpit): an offset instead of Z, with and without a colon.
    ['2036-11-28T11:54:32.000+00:00', '2036-11-28T11:54:32.000Z'],
    ['2036-11-28T11:54:32.000+0000', '2036-11-28T11:54:32.000Z'],
    ['2036-11-28T13:54:32.000+0200', '2036-11-28T11:54:32.000Z'],
    ['2036-11-28T06:54:32-05:00', '2036-11-28T11:54:32.000Z'],
    ['2036-11-28T13:54:32+02', '2036-11-28T11:54:32.000Z'],
    // No zone at all: UTC, whatever the browser's zone.
    ['2036-11-28T11:54:32', '2036-11-28T11:54:32.000Z'],
    ['2036-11-28T11:54:32.123456+00:00', '2036-11-28T11:54:32.123Z'],
    ['not a date', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)}`, () => {
      expect(parseJocDate(input)?.toISOString()).toBe(expected as string);
    });
  }
});
