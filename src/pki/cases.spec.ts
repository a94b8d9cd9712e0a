/**
 * Contract section 8 in Chromium: the same table of inputs as the Node and server tests
 * (testdata/cases.ts), through the same src/pki, must give the same reasons and messages.
 */
import { readPrivateKey } from './index';
import { ACCEPTED_PRIVATE_KEYS, REJECTED_PRIVATE_KEYS } from './testdata/cases';

describe('src/pki in Chromium: every input of contract section 8', () => {
  for (const row of ACCEPTED_PRIVATE_KEYS) {
    it(`reads ${row.name}`, async () => {
      const result = await readPrivateKey(row.input(), { passphrase: row.passphrase });
      expect(result.ok ? `${result.value.label} / ${result.value.format}` : result.message).toBe(
        `${row.label} / ${row.format}`,
      );
    });
  }
  for (const row of REJECTED_PRIVATE_KEYS) {
    it(`refuses ${row.name} with its own message`, async () => {
      const result = await readPrivateKey(row.input(), { passphrase: row.passphrase });
      expect(result.ok).toBeFalse();
      if (result.ok) return;
      expect(result.reason).toBe(row.reason);
      expect(result.message).toMatch(row.message);
    });
  }
});
