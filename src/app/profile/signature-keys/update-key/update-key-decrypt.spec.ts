/**
 * Issue 13: a pasted key whose password protection is made slow (a huge iteration count) must not
 * freeze the page while its passphrase is typed. The Update dialog decrypts in a worker: the page
 * keeps ticking, each keystroke ends the try before, and closing the dialog ends the last one.
 */
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { SLOW_KEY, SLOW_PASSWORD } from '../../key-tab/slow-key.testing';
import { NO_AUDIT, testProviders, until } from '../../key-tab/testing';

@Component({ template: '' })
class Host {}

const shown = (text: string) => !!document.body.textContent?.includes(text);

describe('UpdateKeyDialog: a slow encrypted key', () => {
  async function open() {
    TestBed.configureTestingModule({ providers: testProviders() });
    const host = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(host);
    const result = TestBed.inject(KeyDialogs).update({ audit: NO_AUDIT });
    const dialog = await loader.getHarness(MatDialogHarness);
    const input = (name: string) =>
      dialog.getHarness(MatInputHarness.with({ selector: `[formcontrolname="${name}"]` }));
    /** Types the passphrase key by key, as a person does (each keystroke an input event). */
    const typePassphrase = async (value: string) => {
      const field = document.querySelector<HTMLInputElement>('[formcontrolname="passphrase"]')!;
      for (const char of value) {
        field.value += char;
        field.dispatchEvent(new Event('input'));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const text = () => dialog.getContentText();
    await (await input('privateKey')).setValue(SLOW_KEY);
    await until(async () => (await text()).includes('Passphrase of the private key'), 'passphrase');
    return { dialog, result, typePassphrase, text };
  }

  it('keeps the page answering while the passphrase is typed and the key decrypts', async () => {
    const terminate = spyOn(Worker.prototype, 'terminate').and.callThrough();
    const { typePassphrase, text } = await open();
    let last = performance.now();
    let longest = 0;
    let sawDecrypting = false;
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      sawDecrypting ||= shown('Decrypting the private key…');
    }, 10);
    const started = performance.now();
    // Typed key by key: each keystroke starts a new try and ends the one before.
    await typePassphrase(SLOW_PASSWORD);
    await until(
      async () => (await text()).includes('Recognised: ECDSA P-256 private key, encrypted PKCS#8'),
      'the key recognised',
      30_000,
    );
    const took = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
    clearInterval(ticker);
    expect(took).toBeGreaterThan(500);
    expect(longest).withContext(`longest pause of a 10 ms timer in ${took} ms`).toBeLessThan(400);
    expect(sawDecrypting).withContext('"Decrypting the private key…" shown').toBeTrue();
    expect(terminate.calls.count()).toBeGreaterThanOrEqual(SLOW_PASSWORD.length);
  }, 60_000);

  it('Cancel closes the dialog and terminates the worker', async () => {
    const terminate = spyOn(Worker.prototype, 'terminate').and.callThrough();
    const { typePassphrase, result } = await open();
    await typePassphrase(SLOW_PASSWORD);
    // The page itself, not the harness: the harness waits for the decryption to end first.
    await until(() => shown('Decrypting the private key…'), 'Decrypting…');
    const before = terminate.calls.count();
    const clicked = performance.now();
    const cancel = [...document.querySelectorAll('mat-dialog-actions button')].find(
      (b) => b.textContent?.trim() === 'Cancel',
    ) as HTMLButtonElement;
    cancel.click();
    expect(await result).toBeUndefined();
    await until(() => terminate.calls.count() > before, 'the worker terminated', 2000);
    expect(performance.now() - clicked).toBeLessThan(1500);
    expect(shown('Decrypting the private key…')).toBeFalse();
  }, 60_000);
});
