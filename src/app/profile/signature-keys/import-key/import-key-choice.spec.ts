/**
 * A keystore (or several files) holding more than one private key: the Import dialog offers each
 * key, by its entry's name, file, algorithm and certificate, and stores the one the person
 * chooses with that key's own certificate.
 */
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatRadioButtonHarness, MatRadioGroupHarness } from '@angular/material/radio/testing';
import { type GeneratedPair, inspect } from '../../../../pki';
import { FIXTURES } from '../../../../pki/testdata/fixtures';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { NO_AUDIT, pairValidBetween, testProviders, until } from '../../key-tab/testing';
import { ImportKeyDialog } from './import-key-dialog';

@Component({ template: '' })
class Host {}

/** The keytool keystore of two entries (store password "changeit"). */
const KEYSTORE = Uint8Array.from(atob(FIXTURES['two-keys.p12']), (c) => c.charCodeAt(0));
const keystore = () => new File([KEYSTORE], 'two-keys.p12');
/** The key of the keystore's entry `alias`, and the certificate for `subject`, as PEM. */
async function entry(alias: string, subject: string) {
  const items = await inspect(KEYSTORE, { password: 'changeit' });
  if (!items.ok) throw new Error(items.message);
  const key = items.value.find((i) => i.kind === 'private-key' && i.alias === alias);
  const certificate = items.value.find(
    (i) => i.kind === 'certificate' && i.certificate.subject === subject,
  );
  if (key?.kind !== 'private-key' || certificate?.kind !== 'certificate')
    throw new Error(`no entry ${alias}`);
  return { key: key.key.pem, certificate: certificate.certificate.pem };
}
const file = (name: string, text: string) => new File([text], name);
const bundle = (name: string, pair: GeneratedPair) =>
  file(name, pair.privateKey.pem + pair.certificate.pem);

describe('ImportKeyDialog: several private keys to choose from', () => {
  async function open() {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const result = TestBed.inject(KeyDialogs).import({ audit: NO_AUDIT });
    const dialog = await loader.getHarness(MatDialogHarness);
    const component = () => {
      const el = document.querySelector('app-import-key-dialog')!;
      return (
        window as unknown as { ng: { getComponent(e: Element): ImportKeyDialog } }
      ).ng.getComponent(el);
    };
    const add = async (...files: File[]) => {
      await component().add(files);
      await fixture.whenStable();
    };
    /** Removes a file with its own Remove button, as a person does. */
    const remove = async (name: string) => {
      await (
        await dialog.getHarness(
          MatButtonHarness.with({ selector: `[aria-label="Remove ${name}"]` }),
        )
      ).click();
      await fixture.whenStable();
    };
    /** Opens a locked file with its password field and Open button. */
    const unlock = async (password: string) => {
      const field = await dialog.getHarness(
        MatInputHarness.with({ selector: '[data-password-for]' }),
      );
      await field.setValue(password);
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Open' }))).click();
    };
    const importButton = () => dialog.getHarness(MatButtonHarness.with({ text: 'Import' }));
    const ready = () =>
      until(async () => !(await (await importButton()).isDisabled()), 'Import enabled', 20_000);
    const preview = () =>
      document.querySelector('mat-dialog-container section.preview')?.textContent ?? '';
    /** Each key offered, as its radio button reads (name, then what it is). */
    const options = async () => {
      const group = await dialog.getHarnessOrNull(MatRadioGroupHarness);
      if (!group) return [];
      return Promise.all((await group.getRadioButtons()).map((r) => r.getLabelText()));
    };
    const checked = async () => {
      const radio = await (await dialog.getHarness(MatRadioGroupHarness)).getCheckedRadioButton();
      return radio ? radio.getLabelText() : undefined;
    };
    const choose = async (label: RegExp) => {
      await (await dialog.getHarness(MatRadioButtonHarness.with({ label }))).check();
      await fixture.whenStable();
    };
    return {
      fixture,
      dialog,
      result,
      add,
      remove,
      unlock,
      ready,
      preview,
      options,
      checked,
      choose,
      importButton,
      http: TestBed.inject(HttpTestingController),
    };
  }

  it('offers both entries of a keystore, the first chosen, and stores the one chosen with its own certificate', async () => {
    const {
      dialog,
      add,
      unlock,
      ready,
      preview,
      options,
      checked,
      choose,
      importButton,
      http,
      result,
    } = await open();
    await add(keystore());
    await until(() => !!document.querySelector('[data-password-for]'), 'the password field');
    await unlock('changeit');
    await ready();

    // A labelled group of radio buttons: each key by its entry and file, what it is, its certificate.
    const group = document.querySelector('mat-radio-group')!;
    expect(
      document.getElementById(group.getAttribute('aria-labelledby')!)?.textContent?.trim(),
    ).toBe('Private key to store');
    const offered = await options();
    expect(offered.length).toBe(2);
    expect(offered[0]).toContain('Entry “signer-2025” in two-keys.p12');
    expect(offered[0]).toMatch(
      /ECDSA P-256 private key, certificate for CN=signer 2025,OU=JOC,O=JS7, valid until \S/,
    );
    expect(offered[1]).toContain('Entry “signer-2026” in two-keys.p12');
    expect(offered[1]).toMatch(
      /RSA 2048 private key, certificate for CN=signer 2026,OU=JOC,O=JS7, valid until \S/,
    );

    // Today's rule by default: the first key bag, with its own certificate.
    expect(await checked()).toContain('signer-2025');
    expect(preview()).toContain('ECDSA P-256 private key (PKCS#12)');
    expect(preview()).toContain('Certificate for CN=signer 2025,OU=JOC,O=JS7, self-signed');
    expect(preview()).not.toContain('CN=signer 2026');
    expect(preview()).toContain(
      '2 private keys were found; the one in entry “signer-2025” of two-keys.p12 is stored, as chosen above.',
    );
    expect(preview()).toContain('The private key and the certificate belong together.');

    await choose(/signer-2026/);
    await until(
      () => preview().includes('RSA 2048 private key (PKCS#12)'),
      'the RSA key previewed',
    );
    await ready();
    expect(await checked()).toContain('signer-2026');
    expect(preview()).toContain('Certificate for CN=signer 2026,OU=JOC,O=JS7, self-signed');
    expect(preview()).not.toContain('CN=signer 2025');
    expect(preview()).toContain(
      '2 private keys were found; the one in entry “signer-2026” of two-keys.p12 is stored, as chosen above.',
    );
    expect(preview()).toContain('The private key and the certificate belong together.');
    // The other entry's certificate is not a CA's left out: nothing is said of it.
    expect(await dialog.getContentText()).not.toContain('is stored, not the other certificate');

    await (await importButton()).click();
    const req = await next(http);
    const { keys } = req.request.body as {
      keys: { privateKey: string; certificate: string; keyAlgorithm: string };
    };
    const renewed = await entry('signer-2026', 'CN=signer 2026,OU=JOC,O=JS7');
    expect(keys).toEqual({
      privateKey: renewed.key,
      certificate: renewed.certificate,
      keyAlgorithm: 'RSA',
    });
    req.flush({ ok: true });
    expect(await result).toEqual({ imported: true, certificate: renewed.certificate });
    http.verify();
  }, 60_000);

  it('keeps the choice while files come and go, and falls back to the first key when its file goes', async () => {
    const [a, b, c] = await Promise.all(
      ['CN=alpha', 'CN=bravo', 'CN=charlie'].map((dn) => pairValidBetween(-1, 200, 'ECDSA', dn)),
    );
    const { add, remove, ready, preview, options, checked, choose, importButton, http } =
      await open();
    await add(bundle('a.pem', a), bundle('b.pem', b));
    await ready();
    expect(await checked()).toContain('a.pem');
    await choose(/^b\.pem/);
    await until(() => preview().includes('Certificate for CN=bravo'), 'bravo previewed');

    // A file added after: the choice stays.
    await add(bundle('c.pem', c));
    await until(async () => (await options()).length === 3, 'three keys offered');
    expect(await checked()).toContain('b.pem');
    expect(preview()).toContain('Certificate for CN=bravo');

    // A file before the chosen one removed: still the same key, not the new first.
    await choose(/^c\.pem/);
    await remove('a.pem');
    await until(async () => (await options()).length === 2, 'two keys offered');
    expect(await checked()).toContain('c.pem');
    await until(() => preview().includes('Certificate for CN=charlie'), 'charlie previewed');
    await ready();
    await (await importButton()).click();
    let req = await next(http);
    expect((req.request.body as { keys: { certificate: string } }).keys.certificate).toBe(
      c.certificate.pem,
    );
    req.flush(
      { error: { code: 'JOC-411', message: 'Refused.' } },
      { status: 420, statusText: 'x' },
    );

    // The chosen key's file removed: back to the first key given.
    await add(bundle('a.pem', a));
    await remove('c.pem');
    await until(
      async () => (await checked()) !== undefined && !(await checked())!.includes('c.pem'),
      'c gone',
    );
    expect(await checked()).toContain('b.pem');
    await until(() => preview().includes('Certificate for CN=bravo'), 'bravo previewed');
    expect(preview()).toContain('the one from b.pem is stored, as chosen above.');
    await ready();
    await (await importButton()).click();
    req = await next(http);
    expect((req.request.body as { keys: { privateKey: string } }).keys.privateKey).toBe(
      b.privateKey.pem,
    );
    req.flush({ ok: true });
  }, 60_000);

  it('offers a locked keystore’s keys once it is opened, keeping the choice made', async () => {
    const [a, b] = await Promise.all(
      ['CN=alpha', 'CN=bravo'].map((dn) => pairValidBetween(-1, 200, 'ECDSA', dn)),
    );
    const { dialog, add, unlock, ready, options, checked, choose } = await open();
    await add(bundle('a.pem', a), bundle('b.pem', b), keystore());
    await until(() => !!document.querySelector('[data-password-for]'), 'the password field');
    await ready();
    // Only the keys read so far, and why the keystore's are not among them.
    expect((await options()).length).toBe(2);
    expect(await dialog.getContentText()).toContain(
      'Keys in two-keys.p12 are offered once it is opened.',
    );
    await choose(/^b\.pem/);
    await unlock('changeit');
    await until(async () => (await options()).length === 4, 'four keys offered', 20_000);
    const offered = await options();
    expect(offered[2]).toContain('Entry “signer-2025” in two-keys.p12');
    expect(offered[3]).toContain('Entry “signer-2026” in two-keys.p12');
    expect(await checked()).toContain('b.pem');
    expect(await dialog.getContentText()).not.toContain('are offered once it is opened');
  }, 60_000);

  it('offers no choice for one key, nor for one key given twice', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, ready, options } = await open();
    // The key as its own file and again in a bundle with its certificate: one key.
    await add(file('root.key', pair.privateKey.pem), bundle('bundle.pem', pair));
    await ready();
    expect(await options()).toEqual([]);
    const text = await dialog.getContentText();
    expect(text).not.toContain('private keys were found');
    expect(text).toContain('The private key and the certificate belong together.');
  });
});

/** The store request the dialog sends, once it has sent it. */
async function next(http: HttpTestingController): Promise<TestRequest> {
  let found: TestRequest | undefined;
  await until(() => {
    found = http.match('/joc/api/profile/key/store')[0];
    return !!found;
  }, 'a store request');
  return found!;
}
