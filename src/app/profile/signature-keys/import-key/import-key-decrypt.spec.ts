/**
 * Issue 13: a file whose password protection is made slow (a huge iteration count) must not
 * freeze the page. The Import dialog opens files in a worker: the page keeps ticking, Stop and
 * Cancel end the worker at once, and a time limit ends it with a message; nothing changes.
 */
import { Component, type Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { FIXTURES } from '../../../../pki/testdata/fixtures';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { SLOW_KEY, SLOW_PASSWORD } from '../../key-tab/slow-key.testing';
import { NO_AUDIT, testProviders, until } from '../../key-tab/testing';
import { type ImportedFile, ImportKeyDialog } from './import-key-dialog';
import { DECRYPT_TIME_LIMIT } from '../../key-tab/decrypt-off-thread';

@Component({ template: '' })
class Host {}

/** Whether the dialog asks for the password of `name` (the field's name for screen readers). */
const asksPasswordFor = (name: string) =>
  !!document.querySelector(`form.password input[aria-label="Password for ${name}"]`);

const fixture = (name: string) =>
  new File([Uint8Array.from(atob(FIXTURES[name]), (c) => c.charCodeAt(0))], name);

describe('ImportKeyDialog: slow encrypted files', () => {
  async function open(providers: Provider[] = []) {
    TestBed.configureTestingModule({ providers: [...testProviders(), ...providers] });
    const host = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(host);
    const result = TestBed.inject(KeyDialogs).import({ audit: NO_AUDIT });
    const dialog = await loader.getHarness(MatDialogHarness);
    const el = document.querySelector('app-import-key-dialog')!;
    const component = (
      window as unknown as { ng: { getComponent(e: Element): ImportKeyDialog } }
    ).ng.getComponent(el);
    const fileNamed = (name: string): ImportedFile =>
      component['files']().find((f: ImportedFile) => f.name === name)!;
    const text = () => dialog.getContentText();
    const button = (label: string) => dialog.getHarness(MatButtonHarness.with({ text: label }));
    await component.add([new File([SLOW_KEY], 'slow.key')]);
    await host.whenStable();
    return { host, dialog, result, component, fileNamed, text, button };
  }

  it('keeps the page answering while the key decrypts, then lists the key', async () => {
    const { component, fileNamed, text } = await open();
    let last = performance.now();
    let longest = 0;
    let sawDecrypting = false;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      sawDecrypting ||= !!document.body.textContent?.includes('Decrypting slow.key…');
    }, 10);
    const started = performance.now();
    await component['open'](fileNamed('slow.key'), SLOW_PASSWORD);
    const took = performance.now() - started;
    // A pause that ends just before the answer shows only at the next tick: let it come.
    await new Promise((resolve) => setTimeout(resolve, 100));
    clearInterval(ticker);
    await until(
      async () => (await text()).includes('ECDSA P-256 private key, encrypted PKCS#8'),
      'the key listed',
    );
    expect(await text()).not.toContain('Decrypting');
    // The derivation takes seconds; on the page's thread it would stop every tick that long.
    expect(took).toBeGreaterThan(500);
    expect(longest).withContext(`longest pause of a 10 ms timer in ${took} ms`).toBeLessThan(400);
    expect(sawDecrypting).withContext('"Decrypting slow.key…" shown').toBeTrue();
  }, 60_000);

  it('Stop terminates the worker at once and leaves the file as it was', async () => {
    const terminate = spyOn(Worker.prototype, 'terminate').and.callThrough();
    const { component, fileNamed, text, button } = await open();
    const opened = component['open'](fileNamed('slow.key'), SLOW_PASSWORD);
    await until(async () => (await text()).includes('Decrypting slow.key…'), 'Decrypting…');
    const clicked = performance.now();
    await (await button('Stop')).click();
    await opened;
    expect(performance.now() - clicked).toBeLessThan(1000);
    expect(terminate).toHaveBeenCalled();
    await until(
      async () => (await text()).includes('Stopped: slow.key was not opened, nothing was changed.'),
      'the stop notice',
    );
    expect(await text()).toContain(
      'Encrypted private key (encrypted PKCS#8): needs its passphrase',
    );
    expect(asksPasswordFor('slow.key')).toBeTrue();
  }, 60_000);

  it('Cancel closes the dialog and terminates the worker', async () => {
    const terminate = spyOn(Worker.prototype, 'terminate').and.callThrough();
    const { component, fileNamed, text, button, result } = await open();
    void component['open'](fileNamed('slow.key'), SLOW_PASSWORD);
    await until(async () => (await text()).includes('Decrypting slow.key…'), 'Decrypting…');
    const clicked = performance.now();
    await (await button('Cancel')).click();
    expect(await result).toBeUndefined();
    expect(performance.now() - clicked).toBeLessThan(1000);
    expect(terminate).toHaveBeenCalled();
  }, 60_000);

  it('stops at the time limit and says the file took too long; nothing changes', async () => {
    const terminate = spyOn(Worker.prototype, 'terminate').and.callThrough();
    // 20 ms: no machine decrypts the slow key that fast, so the limit always strikes first.
    const { component, fileNamed, text, button } = await open([
      { provide: DECRYPT_TIME_LIMIT, useValue: 20 },
    ]);
    await component['open'](fileNamed('slow.key'), SLOW_PASSWORD);
    expect(terminate).toHaveBeenCalled();
    // A loaded CI machine draws slowly: wait longer than until()'s default, and say what was shown.
    let shown = '';
    await until(
      async () =>
        (shown = await text()).includes(
          'slow.key took too long to decrypt (more than 20 ms) and was stopped: nothing was changed.',
        ),
      'the time-limit notice',
      20_000,
    ).catch((error: Error) => fail(`${error.message}; the dialog showed: ${shown}`));
    expect(asksPasswordFor('slow.key')).toBeTrue();
    expect(await (await button('Import')).isDisabled()).toBeTrue();
  }, 60_000);

  it('opens a PKCS#12 file exported without a password, and asks for the others quietly', async () => {
    const { component, text, button } = await open();
    component['remove'](component['files']()[0]);
    await component.add([fixture('ec256.nopass.p12'), fixture('ec256.p12')]);
    await until(
      async () => (await text()).includes('ECDSA P-256 private key, PKCS#12'),
      'the key of the file without a password',
      10_000,
    );
    await until(
      async () => asksPasswordFor('ec256.p12'),
      'the password field of the protected file',
      10_000,
    );
    const shown = await text();
    expect(asksPasswordFor('ec256.nopass.p12')).toBeFalse();
    // The empty password was the console's guess, not the person's: no "wrong password".
    expect(shown).not.toContain('The password is wrong');
    component['remove'](component['files']().find((f) => f.name === 'ec256.p12')!);
    await until(
      async () => !(await (await button('Import')).isDisabled()),
      'Import enabled',
      10_000,
    );
  }, 60_000);

  it('keeps the focus in the dialog: the password field after a wrong one, then Import', async () => {
    const { component, host, button } = await open();
    component['remove'](component['files']()[0]);
    await component.add([fixture('ec256.p12')]);
    await until(async () => asksPasswordFor('ec256.p12'), 'the password field', 10_000);
    const field = () =>
      document.querySelector<HTMLInputElement>('form.password input[type=password]')!;
    const submit = async (password: string) => {
      field().focus();
      field().value = password;
      field().form!.requestSubmit();
      await host.whenStable();
    };
    await submit('wrong');
    await until(
      () => document.activeElement === field() && field().getAttribute('aria-invalid') === 'true',
      'the focus back in the password field, marked invalid',
      10_000,
    );
    // The message is the field's error, read with it.
    const describedBy = (field().getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(describedBy).toContain('The password is wrong');
    await submit('secret');
    await until(
      () => document.activeElement?.hasAttribute('data-import') === true,
      'the focus on Import',
      10_000,
    );
    expect(await (await button('Import')).isDisabled()).toBeFalse();
    const remove = document.querySelector<HTMLButtonElement>(
      'button[aria-label="Remove ec256.p12"]',
    )!;
    remove.focus();
    remove.click();
    await host.whenStable();
    await until(
      () => document.activeElement?.hasAttribute('data-choose') === true,
      'the focus on Choose files',
    );
  }, 60_000);

  it('opens ordinary encrypted keys and PKCS#12 files as before', async () => {
    const { component, fileNamed, text, button } = await open();
    await component.add([fixture('ec256.p12'), fixture('ec256.encrypted.pem')]);
    await component['open'](fileNamed('ec256.p12'), 'wrong');
    await until(
      async () =>
        (await text()).includes(
          'The password is wrong: the PKCS#12 file could not be opened with it.',
        ),
      'the wrong-password message',
    );
    await component['open'](fileNamed('ec256.p12'), 'secret');
    await component['open'](fileNamed('ec256.encrypted.pem'), 'secret');
    await until(
      async () => !(await (await button('Import')).isDisabled()),
      'Import enabled',
      10_000,
    );
    const shown = await text();
    expect(shown).toContain('ECDSA P-256 private key, PKCS#12');
    expect(shown).toContain('ECDSA P-256 private key, encrypted PKCS#8');
    expect(shown).toContain('The private key and the certificate belong together.');
  }, 60_000);
});
