/**
 * Contract section 8 in the Update dialog: every rejected text of the shared table
 * (src/pki/testdata/cases.ts) pasted into the private key field shows the PKI core's own message
 * under that field — the text the server answers for the same input.
 */
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatFormFieldHarness } from '@angular/material/form-field/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { readPrivateKey } from '../../../../pki';
import { REJECTED_PRIVATE_KEYS } from '../../../../pki/testdata/cases';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { NO_AUDIT, testProviders, until } from '../../key-tab/testing';

@Component({ template: '' })
class Host {}

// Pasted text only; a passphrase prompt (not an error) answers encrypted keys, "required"
// answers empty ones, and 1 MiB is not typed into a text area key by key.
const PASTED = REJECTED_PRIVATE_KEYS.filter(
  (row) =>
    typeof row.input() === 'string' &&
    row.passphrase === undefined &&
    !['encrypted-key', 'empty', 'too-large'].includes(row.reason),
);

describe('UpdateKeyDialog: every rejected input of contract section 8', () => {
  for (const row of PASTED) {
    it(`${row.name}: the message under the private key field`, async () => {
      const text = row.input() as string;
      const expected = await readPrivateKey(text);
      expect(expected.ok).toBeFalse();
      TestBed.configureTestingModule({ providers: testProviders() });
      const fixture = TestBed.createComponent(Host);
      const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
      void TestBed.inject(KeyDialogs).update({ audit: NO_AUDIT });
      const dialog = await loader.getHarness(MatDialogHarness);
      const key = await dialog.getHarness(
        MatInputHarness.with({ selector: '[formcontrolname="privateKey"]' }),
      );
      await key.setValue(text);
      await key.blur();
      await fixture.whenStable();
      const field = await dialog.getHarness(
        MatFormFieldHarness.with({ floatingLabelText: /Private key/ }),
      );
      await until(
        async () => (await field.getTextErrors()).length > 0,
        `error under the field for ${row.name}`,
        20_000,
      );
      expect(await field.getTextErrors()).toEqual([expected.ok ? '' : expected.message]);
      expect(expected.ok ? '' : expected.message).toMatch(row.message);
      expect(
        await (await dialog.getHarness(MatButtonHarness.with({ text: 'Store' }))).isDisabled(),
      ).toBeTrue();
      await dialog.close();
    }, 30_000);
  }
});
