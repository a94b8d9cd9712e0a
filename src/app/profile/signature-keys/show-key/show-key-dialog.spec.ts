import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Clipboard } from '@angular/cdk/clipboard';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { Session } from '../../../core/session/session';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { summarizeKey } from '../../key-tab/key-summary';
import { pairValidBetween, testProviders, until } from '../../key-tab/testing';
import { fixtureText } from '../../../../pki/testing';

@Component({ template: '' })
class Host {}

describe('ShowKeyDialog', () => {
  async function open(fromDays: number, untilDays: number) {
    const generated = await pairValidBetween(fromDays, untilDays);
    return openWith({
      privateKey: generated.privateKey.pem,
      certificate: generated.certificate.pem,
      keyAlgorithm: 'ECDSA',
    });
  }

  async function openWith(pair: { privateKey: string; certificate: string; keyAlgorithm: string }) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const summary = await summarizeKey(pair, new Date(), 60);
    const result = TestBed.inject(KeyDialogs).show({ pair, summary, owner: 'root' });
    const dialog = await loader.getHarness(MatDialogHarness);
    return { dialog, pair, summary, result };
  }

  it('shows the parsed details and the certificate; the private key stays masked until Reveal', async () => {
    const { dialog, pair, summary } = await open(-10, 300);
    expect(await dialog.getTitleText()).toBe('Signing key and certificate');
    let text = await dialog.getContentText();
    expect(text).toContain('CN=test,OU=JOC,O=JS7');
    expect(text).toContain(summary.certificate!.fingerprintSha256);
    // In pairs that keep their colon: a line breaks between two pairs, never inside one.
    const pairs = Array.from(
      document.querySelectorAll<HTMLElement>('mat-dialog-container .pairs span'),
    );
    expect(pairs.length).toBe(32);
    expect(pairs.map((p) => p.textContent).join('')).toBe(summary.certificate!.fingerprintSha256);
    expect(pairs.every((p) => getComputedStyle(p).display === 'inline-block')).toBeTrue();
    expect(text).toContain('ECDSA P-256');
    expect(text).toContain(pair.certificate.split('\n')[1]);
    expect(text).not.toContain(pair.privateKey.split('\n')[1]);
    expect(text).toContain('The private key is hidden');
    await (await dialog.getHarness(MatButtonHarness.with({ text: /Reveal/ }))).click();
    text = await dialog.getContentText();
    expect(text).toContain(pair.privateKey.split('\n')[1]);
    await (await dialog.getHarness(MatButtonHarness.with({ text: /Hide/ }))).click();
    expect(await dialog.getContentText()).not.toContain(pair.privateKey.split('\n')[1]);
  });

  it('hides a revealed private key again after two minutes, and says so', async () => {
    const { dialog, pair } = await open(-10, 300);
    const line = pair.privateKey.split('\n')[1];
    const reveal = await dialog.getHarness(MatButtonHarness.with({ text: /Reveal/ }));
    // Only the reveal's own timer runs on the mock clock.
    jasmine.clock().install();
    try {
      await reveal.click();
      expect(await dialog.getContentText()).toContain(line);
      jasmine.clock().tick(119_000);
      expect(await dialog.getContentText()).toContain(line);
      jasmine.clock().tick(1_000);
    } finally {
      jasmine.clock().uninstall();
    }
    const text = await dialog.getContentText();
    expect(text).not.toContain(line);
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Hidden again after two minutes on screen. The private key is hidden.',
    );
  });

  it('left open past two minutes, it hands out the private key only once the server accepts the session', async () => {
    const { dialog, pair } = await open(-10, 300);
    const line = pair.privateKey.split('\n')[1];
    const session = TestBed.inject(Session);
    let accepted = false;
    const refresh = spyOn(session, 'refresh').and.resolveTo();
    (spyOn(session, 'loggedIn') as unknown as jasmine.Spy).and.callFake(() => accepted);
    const copy = spyOn(TestBed.inject(Clipboard), 'copy').and.returnValue(true);
    const clicked: string[] = [];
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const button = (text: RegExp) => dialog.getHarness(MatButtonHarness.with({ text }));
    const [copyKey] = await dialog.getAllHarnesses(MatButtonHarness.with({ text: /Copy/ }));
    const [downloadKey] = await dialog.getAllHarnesses(MatButtonHarness.with({ text: /Download/ }));
    const later = new Date(Date.now() + 3 * 60_000);
    jasmine.clock().install();
    jasmine.clock().mockDate(later);
    try {
      // The session ended meanwhile (the server said so: the console leaves for the login page).
      await (await button(/Reveal/)).click();
      await copyKey.click();
      await downloadKey.click();
      await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
      expect(refresh).toHaveBeenCalledTimes(3);
      expect(await dialog.getContentText()).not.toContain(line);
      expect(copy).not.toHaveBeenCalled();
      expect(clicked).toEqual([]);
      // Still accepted: the key is handed out, and asked about again only two minutes later.
      accepted = true;
      await (await button(/Reveal/)).click();
      await until(async () => (await dialog.getContentText()).includes(line), 'the key revealed');
      await copyKey.click();
      expect(copy).toHaveBeenCalledWith(pair.privateKey);
      expect(refresh).toHaveBeenCalledTimes(4);
    } finally {
      jasmine.clock().uninstall();
    }
  });

  it('starts with the focus on its title, not on Reveal (Enter would show the private key)', async () => {
    await open(-10, 300);
    await until(() => document.activeElement?.tagName === 'H2', 'the focus on the title');
    expect(document.activeElement?.textContent?.trim()).toBe('Signing key and certificate');
  });

  it('copies the PEMs and says so', async () => {
    const { dialog, pair } = await open(-10, 300);
    const copy = spyOn(TestBed.inject(Clipboard), 'copy').and.returnValue(true);
    const [copyKey, copyCert] = await dialog.getAllHarnesses(
      MatButtonHarness.with({ text: /Copy/ }),
    );
    // Two buttons called "Copy": each is described by its section's heading.
    const describedBy = async (button: MatButtonHarness) =>
      document.getElementById((await (await button.host()).getAttribute('aria-describedby')) ?? '')
        ?.textContent;
    expect(await describedBy(copyKey)).toBe('Private key');
    expect(await describedBy(copyCert)).toBe('Certificate');
    await copyKey.click();
    expect(copy).toHaveBeenCalledWith(pair.privateKey);
    await copyCert.click();
    expect(copy).toHaveBeenCalledWith(pair.certificate);
    expect(await dialog.getActionsText()).toContain('The certificate was copied to the clipboard.');
  });

  it('says a copy worked beside Close, in view however far the content is scrolled', async () => {
    const { dialog } = await open(-10, 300);
    spyOn(TestBed.inject(Clipboard), 'copy').and.returnValue(true);
    await (await dialog.getHarness(MatButtonHarness.with({ text: /Copy/ }))).click();
    // The content scrolls (the PEMs are long); the action bar stays put under it.
    expect(await dialog.getActionsText()).toContain('The private key was copied to the clipboard.');
    expect(await dialog.getContentText()).not.toContain('copied to the clipboard');
  });

  it('offers each PEM as a .pem download', async () => {
    const { dialog } = await open(-10, 300);
    const clicked: string[] = [];
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    for (const button of await dialog.getAllHarnesses(MatButtonHarness.with({ text: /Download/ })))
      await button.click();
    // The self-signed certificate under the trust panel's name: one file on the Controllers.
    expect(clicked).toEqual(['root-signing-key.pem', 'test.pem']);
  });

  it('writes an expired end date in red with the word "expired"', async () => {
    await open(-400, -3);
    const bad = document.querySelector('mat-dialog-container dd.bad') as HTMLElement;
    expect(bad.textContent).toContain('(expired)');
    expect(getComputedStyle(bad).color).toBe(
      getComputedStyle(document.querySelector('mat-dialog-container .status.error')!).color,
    );
  });

  it('a certificate with no expiry date (99991231235959Z): says so, in no year and no zone', async () => {
    const { dialog } = await openWith({
      privateKey: fixtureText('noexpiry.pkcs8.pem'),
      certificate: fixtureText('noexpiry.crt.pem'),
      keyAlgorithm: 'ECDSA',
    });
    const terms = Array.from(document.querySelectorAll('mat-dialog-container dl.details dt'));
    const until = terms.find((dt) => dt.textContent?.trim() === 'Valid until')!;
    expect(until.nextElementSibling?.textContent?.trim()).toBe('No expiry date');
    const text = await dialog.getContentText();
    expect(text).not.toMatch(/9999|10000/);
    expect(document.querySelector('mat-dialog-container .status')?.textContent).toContain('Valid');
  });

  it("at a phone's width, each label stands above its value, which gets the whole width", async () => {
    await open(-10, 300);
    const pane = document.querySelector<HTMLElement>('.cdk-overlay-pane')!;
    const list = document.querySelector<HTMLElement>('mat-dialog-container dl.details')!;
    const pairs = () =>
      Array.from(list.querySelectorAll('dt')).map((dt) => ({
        dt: dt.getBoundingClientRect(),
        dd: dt.nextElementSibling!.getBoundingClientRect(),
      }));
    // 360 px: a phone (the dialog takes the window's width less a margin).
    pane.style.width = pane.style.maxWidth = '344px';
    const width = list.getBoundingClientRect().width;
    for (const { dt, dd } of pairs()) {
      expect(dd.top).toBeGreaterThanOrEqual(dt.bottom - 1);
      expect(dd.width).toBeCloseTo(width, 0);
    }
    // A name breaks between its RDNs, not inside a word: "O=Supp / ort" does not happen.
    const subject = list.querySelector('dd.name')!;
    expect(Array.from(subject.children).map((part) => part.textContent)).toEqual([
      'CN=test,',
      'OU=JOC,',
      'O=JS7',
    ]);
    // On a wide screen, label and value share a line.
    pane.style.width = pane.style.maxWidth = '760px';
    for (const { dt, dd } of pairs()) {
      expect(Math.abs(dd.top - dt.top)).toBeLessThan(2);
      expect(dd.left).toBeGreaterThan(dt.left);
    }
  });
});
