/**
 * Contract section 8 in the Import dialog: every rejected file of the shared table
 * (src/pki/testdata/cases.ts) is listed with the PKI core's own message — the text the server
 * answers for the same file (a CSR is listed as what it is) — and nothing can be imported.
 */
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { readKeyMaterial } from '../../../../pki';
import { REJECTED_PRIVATE_KEYS } from '../../../../pki/testdata/cases';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { NO_AUDIT, testProviders, until } from '../../key-tab/testing';
import { ImportKeyDialog } from './import-key-dialog';

@Component({ template: '' })
class Host {}

describe('ImportKeyDialog: every rejected file of contract section 8', () => {
  for (const row of REJECTED_PRIVATE_KEYS) {
    // Encrypted files and PKCS#12 without a password ask for it instead of failing.
    if (row.passphrase === undefined && (row.reason === 'encrypted-key' || row.reason === 'pkcs12'))
      continue;
    it(`${row.name}: listed with its message`, async () => {
      const input = row.input();
      const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
      // The dialog reads the file with its name, which the commands in some messages give.
      const expected = await readKeyMaterial(bytes, {
        password: row.passphrase,
        name: 'upload.bin',
      });
      TestBed.configureTestingModule({ providers: testProviders() });
      const fixture = TestBed.createComponent(Host);
      const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
      void TestBed.inject(KeyDialogs).import({ audit: NO_AUDIT });
      const dialog = await loader.getHarness(MatDialogHarness);
      const el = document.querySelector('app-import-key-dialog')!;
      const component = (
        window as unknown as { ng: { getComponent(e: Element): ImportKeyDialog } }
      ).ng.getComponent(el);
      await component.add([new File([bytes as BlobPart], 'upload.bin')]);
      await fixture.whenStable();
      if (row.passphrase !== undefined) {
        const file = component['files']().find((f: { name: string }) => f.name === 'upload.bin')!;
        await component['open'](file, row.passphrase);
        await fixture.whenStable();
      }
      if (row.reason === 'csr') {
        // The dialog lists what the file is; the pair preview then says the key is missing.
        await until(
          async () => (await dialog.getContentText()).includes('Certificate signing request (CSR)'),
          'the CSR listed',
          20_000,
        );
      } else if (!expected.ok) {
        await until(
          async () => (await dialog.getContentText()).includes(expected.message),
          `message for ${row.name}`,
          20_000,
        );
      }
      expect(
        await (await dialog.getHarness(MatButtonHarness.with({ text: 'Import' }))).isDisabled(),
      ).toBeTrue();
      await dialog.close();
    }, 30_000);
  }
});
