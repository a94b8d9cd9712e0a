import { type WritableSignal, signal } from '@angular/core';
import { Router } from '@angular/router';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import type { JocKeyPair, JocKeyPairAnswer } from '../../../contract';
import { generateCa, generateSigningPair, type GeneratedPair } from '../../../pki';
import { NO_EXPIRY_MS } from '../../../pki/no-expiry';
import { caValidBetween, untilEndOfDay } from '../../../pki/testing';
import { Preferences } from '../../core/session/preferences';
import { Session } from '../../core/session/session';
import { type KeyPolicy, keyPolicy } from '../../core/session/key-policy';
import { KeyDialogs } from '../key-tab/key-dialogs';
import { emptyHistory, pairValidBetween, testProviders, until } from '../key-tab/testing';
import { SignatureKeysTab } from './signature-keys-tab';

const DAY = 86_400_000;
const PREFERENCES = 'joc-keys.preferences.root';

/** The tab as root at LOW sees it, with what the session and this browser's preferences say. */
interface Setup {
  readonly forceComments?: boolean;
  readonly auditAlways?: boolean;
  /** A real JOC Cockpit's `/joc/properties` version. */
  readonly apiVersion?: string;
}

/** `/profile/key`'s answer for a pair made with src/pki. */
async function storedPair(dn = 'CN=test,OU=JOC,O=JS7'): Promise<JocKeyPairAnswer> {
  const pair = await pairValidBetween(-1, 300, 'ECDSA', dn);
  const c = pair.certificate;
  return {
    privateKey: pair.privateKey.pem,
    certificate: c.pem,
    keyID: c.subject,
    validUntil: c.notAfter.toISOString(),
    keyAlgorithm: 'ECDSA',
  };
}

describe('SignatureKeysTab', () => {
  afterEach(() => localStorage.removeItem(PREFERENCES));

  async function render(answer: JocKeyPairAnswer, setup: Setup = {}) {
    if (setup.auditAlways) localStorage.setItem(PREFERENCES, JSON.stringify({ auditAlways: true }));
    const certificates = { view: true, manage: true };
    const comments = setup.forceComments ? ['Certificate renewal', 'Key rotation'] : [];
    const session: Partial<Session> = {
      token: signal('T'),
      refresh: () => Promise.resolve(),
      account: signal('root'),
      properties: signal({
        securityLevel: 'LOW',
        defaultProfileAccount: 'root',
        forceCommentsForAuditLog: !!setup.forceComments,
        comments,
        ...(setup.apiVersion ? { apiVersion: setup.apiVersion } : {}),
      }),
      permissions: signal({ roles: [], joc: { administration: { certificates } } }),
      policy: signal(keyPolicy('LOW', 'root', certificates, 'root')),
      embedded: signal(true),
      serverCheck: { missing: false },
    };
    TestBed.configureTestingModule({
      imports: [SignatureKeysTab],
      providers: [...testProviders(), emptyHistory(), { provide: Session, useValue: session }],
    });
    await TestBed.compileComponents();
    const fixture = TestBed.createComponent(SignatureKeysTab);
    const http = TestBed.inject(HttpTestingController);
    const element = fixture.nativeElement as HTMLElement;
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const dialogs = TestBed.inject(KeyDialogs);
    /** What the server holds: the answer to the reads a test does not answer itself. */
    let stored = answer;
    /** Answers the `/profile/key` calls waiting; false while there is none. */
    const answerKey = (value: JocKeyPairAnswer) => {
      const calls = http.match('/joc/api/profile/key');
      calls.forEach((call) => call.flush(value));
      if (calls.length) stored = value;
      return calls.length > 0;
    };
    await until(() => (fixture.detectChanges(), answerKey(answer)), 'the /profile/key call');
    // Not whenStable(): the tab's /profile/ca call stays open until a test answers it.
    await until(
      () => (fixture.detectChanges(), !!element.querySelector('td.status .state')),
      'the row',
    );
    const rowText = () => element.querySelector('tr[appKeyRow]')?.textContent ?? '';
    /** Clicks a row's button; one that writes first reads the key again (answered as stored). */
    const click = async (label: string) => {
      (
        element.querySelector(`tr[appKeyRow] button[aria-label="${label}"]`) as HTMLButtonElement
      ).click();
      if (label !== 'Show')
        await until(
          () => (fixture.detectChanges(), answerKey(stored)),
          'the key read before the dialog',
        );
    };
    /** Clicks a row's button and leaves every read to the test. */
    const press = (label: string) =>
      (
        element.querySelector(`tr[appKeyRow] button[aria-label="${label}"]`) as HTMLButtonElement
      ).click();
    /** Answers the reads waiting with what the server holds; false while there is none. */
    const answerStored = () => answerKey(stored);
    return {
      fixture,
      http,
      element,
      loader,
      dialogs,
      answerKey,
      answerStored,
      rowText,
      click,
      press,
      session,
    };
  }

  type Rendered = Awaited<ReturnType<typeof render>>;

  /** The CA answer, then the readiness check (a real JOC lacks it): the panels below the row settle. */
  async function answerCaAndCheck({ http, fixture }: Rendered, ca: JocKeyPairAnswer = {}) {
    await until(
      () => http.match('/joc/api/profile/ca').some((call) => (call.flush(ca), true)),
      'the /profile/ca call',
    );
    await until(
      () => (
        fixture.detectChanges(),
        http
          .match('/joc/api/profile/key/check')
          .some((call) => (call.flush(null, { status: 404, statusText: 'x' }), true))
      ),
      'the readiness check',
    );
  }

  /** No `/profile/key` call comes within a few tasks: the tab did not read the key again. */
  async function expectNoReread({ http, fixture }: Rendered) {
    for (let i = 0; i < 5; i++) {
      fixture.detectChanges();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(http.match('/joc/api/profile/key').length).withContext('a /profile/key call').toBe(0);
  }

  /**
   * The dialog Show opens once the key is read again: the opening continues in promises the
   * harness does not wait for (the dialog's chunk, the certificate read).
   */
  async function opened(tab: Rendered) {
    await until(
      async () => (await tab.loader.getAllHarnesses(MatDialogHarness)).length > 0,
      'the dialog',
    );
    return tab.loader.getHarness(MatDialogHarness);
  }

  /** Cancels a writing dialog; the key is read again after it (what was stored is answered). */
  async function cancel(tab: Rendered) {
    const dialog = await tab.loader.getHarness(MatDialogHarness);
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).click();
    await until(
      async () => (await tab.loader.getAllHarnesses(MatDialogHarness)).length === 0,
      'the dialog closed',
    );
    await until(
      () => (tab.fixture.detectChanges(), tab.answerStored()),
      'the key read after the dialog',
    );
  }

  it('draws the row, then asks for the CA for the trust panel', async () => {
    const { http } = await render(await storedPair());
    await until(() => http.match('/joc/api/profile/ca').length > 0, 'the /profile/ca call');
  });

  describe('the CA that issued the certificate, in the row', () => {
    /** The SSL CA (five years from 400 days ago) and `/profile/key`'s answer for a year it issued. */
    async function issuedByCa(): Promise<{ ca: GeneratedPair; answer: JocKeyPair }> {
      const made = await generateCa({
        dn: 'CN=Short CA,O=JS7',
        now: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() + 1800 * DAY),
      });
      if (!made.ok) throw new Error(made.message);
      const issuer = {
        privateKey: made.value.privateKey.pem,
        certificate: made.value.certificate.pem,
      };
      const signing = await generateSigningPair({
        algorithm: 'ECDSA',
        dn: 'CN=root,OU=JOC,O=JS7',
        now: new Date(Date.now() - DAY),
        notAfter: new Date(Date.now() + 365 * DAY),
        issuer,
      });
      if (!signing.ok) throw new Error(signing.message);
      const c = signing.value.certificate;
      return {
        ca: made.value,
        answer: {
          privateKey: signing.value.privateKey.pem,
          certificate: c.pem,
          keyID: c.subject,
          validUntil: c.notAfter.toISOString(),
          keyAlgorithm: 'ECDSA',
        },
      };
    }
    const caAnswer = (ca: GeneratedPair): JocKeyPairAnswer => ({
      privateKey: ca.privateKey.pem,
      certificate: ca.certificate.pem,
      keyAlgorithm: 'ECDSA',
      keyType: 'CA',
    });
    /** The status cell's lines as a person reads them (its icons' names left out). */
    const statusLines = (tab: Rendered) =>
      Array.from(tab.element.querySelectorAll('tr[appKeyRow] td.status :is(.state, .hint)')).map(
        (line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('mat-icon').forEach((icon) => icon.remove());
          return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
        },
      );
    const statusText = (tab: Rendered) => statusLines(tab).join(' | ');

    it('is drawn from the certificate first, then adds the SSL CA ending within the threshold', async () => {
      const { ca, answer } = await issuedByCa();
      const ending = await caValidBetween(ca, -400, untilEndOfDay(20));
      const tab = await render(answer);
      // Before the CA is read, the row already stands, from the certificate alone.
      expect(statusText(tab)).toMatch(/^Valid \| 36[45] days left$/);
      await answerCaAndCheck(tab, caAnswer(ending));
      await until(
        () => (tab.fixture.detectChanges(), statusText(tab).includes('issuing SSL CA')),
        'the CA in the row',
      );
      const date = TestBed.inject(Preferences).date(ending.certificate.notAfter);
      // The certificate's own status stays as it is; the CA's line has its own (warning) tone.
      expect(statusLines(tab)).toEqual([
        'Valid',
        jasmine.stringMatching(/^36[45] days left$/),
        `The issuing SSL CA expires in 20 days (${date})`,
        'After that day deployments fail. Before then, renew the CA and store a new key certified by it (Generate with "Use SSL CA").',
      ]);
      const line = tab.element.querySelector('td.status .issuer .state');
      expect(line?.classList).toContain('warn');
      expect(line?.querySelector('mat-icon')?.textContent).toBe('warning');
    });

    it('a CA valid beyond the threshold that ends before the certificate: says it ends first', async () => {
      const { ca, answer } = await issuedByCa();
      const ending = await caValidBetween(ca, -400, untilEndOfDay(200));
      const tab = await render(answer);
      await answerCaAndCheck(tab, caAnswer(ending));
      await until(
        () => (tab.fixture.detectChanges(), statusText(tab).includes('issuing SSL CA')),
        'the CA in the row',
      );
      const date = TestBed.inject(Preferences).date(ending.certificate.notAfter);
      expect(statusLines(tab)).toEqual([
        'Valid',
        jasmine.stringMatching(/^36[45] days left$/),
        `The issuing SSL CA ends first: on ${date} (200 days left)`,
        "Deployments work until that day, not until the certificate's own end. Renew the CA and store a new key certified by it before then.",
      ]);
      expect(tab.element.querySelector('td.status .issuer .state')?.classList).toContain('info');
    });

    it('after a new key that Controllers do not trust yet, "Ready" says which file they need first', async () => {
      const { ca, answer } = await issuedByCa();
      const tab = await render(answer);
      await answerCaAndCheck(tab, caAnswer(ca));
      const line = () => tab.element.querySelector('.readiness-line')?.textContent ?? '';
      const settled = async (text: string) =>
        until(() => (tab.fixture.detectChanges(), line().includes(text)), text);
      await settled('Ready to deploy: all');
      /** Generate returns `made`, and the tab's read of the key answers it. */
      const generate = async (made: JocKeyPair) => {
        const spy = jasmine.isSpy(tab.dialogs.generate)
          ? (tab.dialogs.generate as jasmine.Spy)
          : spyOn(tab.dialogs, 'generate');
        spy.and.resolveTo({ pair: made });
        await tab.click('Generate');
        await until(() => (tab.fixture.detectChanges(), tab.answerKey(made)), 'the key read');
      };
      // Issued by the same SSL CA: Controllers already hold it.
      const again = await generateSigningPair({
        algorithm: 'ECDSA',
        dn: 'CN=root again,OU=JOC,O=JS7',
        notAfter: new Date(Date.now() + 300 * DAY),
        issuer: { privateKey: ca.privateKey.pem, certificate: ca.certificate.pem },
      });
      if (!again.ok) throw new Error(again.message);
      await generate({
        ...answer,
        privateKey: again.value.privateKey.pem,
        certificate: again.value.certificate.pem,
      });
      await until(
        () => (tab.fixture.detectChanges(), tab.rowText().includes('root again')),
        'the new key in the row',
      );
      await settled('Ready to deploy: all');
      // Self-signed: Controllers must first hold the new certificate itself.
      const own = (await storedPair('CN=self made,OU=JOC,O=JS7')) as JocKeyPair;
      await generate(own);
      await settled('once every Controller');
      expect(line().replace(/\s+/g, ' ').trim()).toBe(
        'gpp_maybe Ready to deploy once every Controller and Agent holds the new trusted-x509-keys/self_made.pem: download it below',
      );
      expect(tab.element.querySelector('.readiness-line')?.classList).toContain('warn');
    });

    it('says that deployments fail once the CA from the stored chain has expired', async () => {
      const { ca, answer } = await issuedByCa();
      const expired = await caValidBetween(ca, -400, -1);
      const tab = await render({
        ...answer,
        certificate: answer.certificate + expired.certificate.pem,
      });
      await answerCaAndCheck(tab, {});
      await until(
        () => (tab.fixture.detectChanges(), statusText(tab).includes('issuing CA')),
        'the CA in the row',
      );
      const date = TestBed.inject(Preferences).date(expired.certificate.notAfter);
      expect(statusLines(tab).slice(2)).toEqual([
        `The issuing CA expired on ${date}`,
        'Controllers and Agents that check certificate dates no longer trust what this key signs: deployments there fail. A new CA and a new key certified by it are needed.',
      ]);
      const line = tab.element.querySelector('td.status .issuer .state');
      expect(line?.classList).toContain('error');
      expect(line?.querySelector('mat-icon')?.textContent).toBe('error');
    });
  });

  it('Show opens the dialog with the pair, its summary and the chain up to the SSL CA', async () => {
    const made = await generateCa({
      dn: 'CN=JS7 CA,O=JS7',
      notAfter: new Date(Date.now() + 1800 * DAY),
    });
    if (!made.ok) throw new Error(made.message);
    const issuer = {
      privateKey: made.value.privateKey.pem,
      certificate: made.value.certificate.pem,
    };
    const signing = await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=root,OU=JOC,O=JS7',
      notAfter: new Date(Date.now() + 365 * DAY),
      issuer,
    });
    if (!signing.ok) throw new Error(signing.message);
    const answer = {
      privateKey: signing.value.privateKey.pem,
      certificate: signing.value.certificate.pem,
      keyAlgorithm: 'ECDSA',
    };
    const tab = await render(answer);
    await answerCaAndCheck(tab, { ...issuer, keyAlgorithm: 'ECDSA', keyType: 'CA' });
    // The chain comes from the trust panel's reading of the certificate and the CA.
    await until(
      () => (
        tab.fixture.detectChanges(),
        !!tab.element.textContent?.includes('issued by CN=JS7 CA,O=JS7 (the SSL CA)')
      ),
      'the trust panel',
    );
    const show = spyOn(tab.dialogs, 'show').and.callThrough();
    void tab.click('Show');
    await until(() => (tab.fixture.detectChanges(), tab.answerKey(answer)), 'the key read again');
    const dialog = await opened(tab);
    expect(await dialog.getTitleText()).toBe('Signing key and certificate');
    const text = await dialog.getContentText();
    expect(text).toContain('CN=root,OU=JOC,O=JS7');
    expect(text).toContain('Chain');
    expect(text).toContain('Issuing CA');
    expect(text).toContain('CN=JS7 CA,O=JS7');
    const data = show.calls.mostRecent().args[0];
    expect(data.pair).toEqual(answer);
    expect(data.owner).toBe('root');
    expect(data.summary.certificate?.subject).toBe('CN=root,OU=JOC,O=JS7');
    expect(data.chain?.map((link) => link.role)).toEqual(['certificate', 'issuer']);
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Close' }))).click();
    await expectNoReread(tab);
  });

  it('Show reads the key again: a session the server ended opens no dialog', async () => {
    const tab = await render(await storedPair());
    await answerCaAndCheck(tab);
    const show = spyOn(tab.dialogs, 'show').and.callThrough();
    void tab.click('Show');
    await until(
      () =>
        tab.http
          .match('/joc/api/profile/key')
          .some(
            (call) => (
              call.flush(
                { error: { code: 'JOC-440', message: 'session expired' } },
                { status: 440, statusText: 'Session Timeout' },
              ),
              true
            ),
          ),
      'the key read again',
    );
    await expectNoReread(tab);
    expect(show).not.toHaveBeenCalled();
    expect(await tab.loader.getAllHarnesses(MatDialogHarness)).toEqual([]);
  });

  it('Show shows the key as stored now when another session changed it', async () => {
    const tab = await render(await storedPair());
    await answerCaAndCheck(tab);
    const renewed = await storedPair('CN=renewed,OU=JOC,O=JS7');
    void tab.click('Show');
    await until(() => (tab.fixture.detectChanges(), tab.answerKey(renewed)), 'the key read again');
    const dialog = await opened(tab);
    const text = await dialog.getContentText();
    expect(text).toContain('CN=renewed,OU=JOC,O=JS7');
    expect(text).not.toContain('CN=test,');
    await until(
      () => (tab.fixture.detectChanges(), tab.rowText().includes('CN=renewed,')),
      'the new subject in the row',
    );
  });

  it('a readiness verdict about a certificate stored meanwhile elsewhere: the key is read again', async () => {
    const tab = await render(await storedPair());
    const { http, fixture } = tab;
    await until(
      () => http.match('/joc/api/profile/ca').some((call) => (call.flush({}), true)),
      'the /profile/ca call',
    );
    const renewed = await storedPair('CN=renewed,OU=JOC,O=JS7');
    const checks = [{ id: 'key-present', ok: true, message: 'A private key is stored.' }];
    // The server judged what it holds now: another certificate than the row's.
    await until(
      () => (
        fixture.detectChanges(),
        http
          .match('/joc/api/profile/key/check')
          .some((call) => (call.flush({ checks, fingerprint: 'AA:BB' }), true))
      ),
      'the readiness check',
    );
    await until(() => (fixture.detectChanges(), tab.answerKey(renewed)), 'the key read again');
    await until(
      () => (fixture.detectChanges(), tab.rowText().includes('CN=renewed,')),
      'the new subject in the row',
    );
  });

  it('JOC Cockpit 2.9 at LOW: no Update or Import (they store where nothing signs), and why', async () => {
    const buttons = (tab: Rendered) =>
      Array.from(tab.element.querySelectorAll('tr[appKeyRow] button')).map((b) =>
        b.getAttribute('aria-label'),
      );
    const old = await render(await storedPair(), { apiVersion: '2.8.2' });
    expect(buttons(old)).toEqual(['Show', 'Update', 'Import', 'Generate', 'Delete']);
    TestBed.resetTestingModule();
    const tab = await render(await storedPair(), { apiVersion: '2.9.0' });
    expect(buttons(tab)).toEqual(['Show', 'Generate', 'Delete']);
    expect(tab.element.querySelector('[role=note]')?.textContent).toContain(
      'JOC Cockpit 2.9.0 at security level LOW stores a pasted or imported key as the key for security level MEDIUM',
    );
  });

  it('a double click opens one dialog; once it is closed the button opens it again', async () => {
    const tab = await render(await storedPair());
    await answerCaAndCheck(tab);
    const first = tab.click('Update');
    await tab.click('Update');
    await first;
    await opened(tab);
    await tab.fixture.whenStable();
    expect((await tab.loader.getAllHarnesses(MatDialogHarness)).length).toBe(1);
    await cancel(tab);
    await tab.click('Update');
    expect(await (await opened(tab)).getTitleText()).toContain('Update the signing key');
    await cancel(tab);
  });

  for (const [action, title] of [
    ['Update', 'Update the signing key'],
    ['Import', 'Import a signing key'],
  ] as const) {
    it(`${action}: reads the key again when the dialog returns a result, and shows what was stored`, async () => {
      const tab = await render(await storedPair());
      await answerCaAndCheck(tab);
      const method = action === 'Update' ? 'update' : 'import';
      const renewed = await storedPair('CN=renewed,OU=JOC,O=JS7');
      const certificate = (renewed as { certificate: string }).certificate;
      spyOn(tab.dialogs, method).and.resolveTo(
        action === 'Update' ? { saved: true, certificate } : { imported: true, certificate },
      );
      await tab.click(action);
      await until(
        () => (tab.fixture.detectChanges(), tab.answerKey(renewed)),
        'the key read again',
      );
      await until(
        () => (tab.fixture.detectChanges(), tab.rowText().includes('CN=renewed,')),
        'the new subject in the row',
      );
    });

    it(`${action}: reads the key again when the dialog is dismissed (an answer may have been lost); the row stays`, async () => {
      const tab = await render(await storedPair());
      await answerCaAndCheck(tab);
      await tab.click(action);
      const dialog = await opened(tab);
      expect(await dialog.getTitleText()).toContain(title);
      await cancel(tab);
      await expectNoReread(tab);
      expect(tab.rowText()).toContain('CN=test,');
    });
  }

  it('Generate: names the validity of the stored certificate, and reads the key again after a new one', async () => {
    const answer = await storedPair();
    const tab = await render(answer);
    await answerCaAndCheck(tab);
    const date = TestBed.inject(Preferences).date(answer.validUntil!);
    await tab.click('Generate');
    const dialog = await opened(tab);
    expect(await dialog.getContentText()).toContain(
      `This replaces the stored key and the certificate valid until ${date}.`,
    );
    await cancel(tab);
    await expectNoReread(tab);

    const generate = spyOn(tab.dialogs, 'generate').and.callFake(async () => ({
      pair: await storedPair('CN=generated'),
    }));
    await tab.click('Generate');
    await until(() => generate.calls.any(), 'the Generate dialog');
    expect(generate.calls.mostRecent().args[0]).toEqual(
      jasmine.objectContaining({
        account: 'root',
        current: { hasKey: true, validUntil: new Date(answer.validUntil!) },
      }),
    );
    await until(() => (tab.fixture.detectChanges(), tab.answerKey(answer)), 'the key read again');
  });

  it('a certificate without expiration date (99991231235959Z): Generate and Delete name no date', async () => {
    const made = await generateSigningPair({
      algorithm: 'ECDSA',
      dn: 'CN=forever,O=JS7',
      notAfter: new Date(NO_EXPIRY_MS),
    });
    if (!made.ok) throw new Error(made.message);
    const answer: JocKeyPair = {
      privateKey: made.value.privateKey.pem,
      certificate: made.value.certificate.pem,
      keyAlgorithm: 'ECDSA',
    };
    const tab = await render(answer);
    await answerCaAndCheck(tab);
    const generate = spyOn(tab.dialogs, 'generate').and.resolveTo(undefined);
    const remove = spyOn(tab.dialogs, 'delete').and.resolveTo(undefined);
    await tab.click('Generate');
    await until(() => generate.calls.any(), 'the Generate dialog');
    expect(generate.calls.mostRecent().args[0].current?.validUntil).toBeUndefined();
    // A certificate is stored: Generate says it replaces one, with no date.
    expect(generate.calls.mostRecent().args[0].current?.noExpiry).toBeTrue();
    await until(() => (tab.fixture.detectChanges(), tab.answerStored()), 'the key read after');
    await tab.click('Delete');
    await until(() => remove.calls.any(), 'the Delete dialog');
    expect(remove.calls.mostRecent().args[0].validUntil).toBeUndefined();
    expect(remove.calls.mostRecent().args[0].subject).toBe('CN=forever,O=JS7');
  });

  it('Delete: names the subject and the end of validity, and reads the key again once deleted', async () => {
    const answer = await storedPair();
    const tab = await render(answer);
    await answerCaAndCheck(tab);
    const date = TestBed.inject(Preferences).date(answer.validUntil!);
    await tab.click('Delete');
    const dialog = await opened(tab);
    expect(await dialog.getTitleText()).toBe('Delete the signing key?');
    expect(await dialog.getContentText()).toContain(
      `This deletes the private key and the certificate CN=test,OU=JOC,O=JS7, valid until ${date}.`,
    );
    await cancel(tab);
    await expectNoReread(tab);
    expect(tab.rowText()).toContain('CN=test,');

    spyOn(tab.dialogs, 'delete').and.resolveTo({ deleted: true });
    await tab.click('Delete');
    await until(() => (tab.fixture.detectChanges(), tab.answerKey({})), 'the key read again');
    await until(
      () => (tab.fixture.detectChanges(), tab.rowText().includes('No key is present')),
      'the empty row',
    );
  });

  it('Generate whose answer was lost (the dialog closed without one): the row shows what is stored', async () => {
    const tab = await render(await storedPair());
    await answerCaAndCheck(tab);
    spyOn(tab.dialogs, 'generate').and.resolveTo(undefined);
    await tab.click('Generate');
    const made = await storedPair('CN=made anyway,OU=JOC,O=JS7');
    await until(() => (tab.fixture.detectChanges(), tab.answerKey(made)), 'the read after');
    await until(
      () => (tab.fixture.detectChanges(), tab.rowText().includes('CN=made anyway,')),
      'the key the server stored',
    );
  });

  describe('changed elsewhere since the page read it: a writing dialog reads again first', () => {
    it('Delete names the key stored now, not the one the row still showed', async () => {
      const tab = await render(await storedPair('CN=old,OU=JOC,O=JS7'));
      await answerCaAndCheck(tab);
      tab.press('Delete');
      const newer = await storedPair('CN=newer,OU=JOC,O=JS7');
      await until(() => (tab.fixture.detectChanges(), tab.answerKey(newer)), 'the read before');
      const dialog = await opened(tab);
      expect(await dialog.getContentText()).toContain('the certificate CN=newer,OU=JOC,O=JS7,');
      await cancel(tab);
      expect(tab.rowText()).toContain('CN=newer,');
    });

    it('Delete of a key deleted meanwhile: no dialog, the row says there is none', async () => {
      const tab = await render(await storedPair());
      await answerCaAndCheck(tab);
      const remove = spyOn(tab.dialogs, 'delete').and.resolveTo(undefined);
      tab.press('Delete');
      await until(() => (tab.fixture.detectChanges(), tab.answerKey({})), 'the read before');
      await until(
        () => (tab.fixture.detectChanges(), tab.rowText().includes('No key is present')),
        'the empty row',
      );
      expect(remove).not.toHaveBeenCalled();
    });

    it('Generate says what it replaces when another session stored a key meanwhile', async () => {
      const tab = await render({});
      const generate = spyOn(tab.dialogs, 'generate').and.resolveTo(undefined);
      tab.press('Generate');
      const stored = await storedPair('CN=elsewhere,OU=JOC,O=JS7');
      await until(() => (tab.fixture.detectChanges(), tab.answerKey(stored)), 'the read before');
      await until(() => generate.calls.any(), 'the Generate dialog');
      expect(generate.calls.mostRecent().args[0].current).toEqual({
        hasKey: true,
        validUntil: new Date(stored.validUntil!),
      });
    });

    it('the level became LOW and the key is no longer this account’s: no dialog, Preferences', async () => {
      const tab = await render(await storedPair());
      await answerCaAndCheck(tab);
      const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
      const policy = tab.session.policy as WritableSignal<KeyPolicy>;
      const certificates = { view: true, manage: true };
      // What /joc/properties and the permissions now say for alice.
      tab.session.refresh = async () => policy.set(keyPolicy('LOW', 'alice', certificates, 'root'));
      const update = spyOn(tab.dialogs, 'update').and.resolveTo(undefined);
      tab.press('Update');
      // Read now for the banner only (root's key signs alice's deployments too).
      await until(() => (tab.fixture.detectChanges(), tab.answerStored()), 'the read before');
      await until(() => navigate.calls.any(), 'the way to Preferences');
      expect(navigate).toHaveBeenCalledWith(['/profile/preferences']);
      expect(update).not.toHaveBeenCalled();
    });
  });

  describe('audit settings passed to every writing dialog', () => {
    const cases: ReadonlyArray<
      [string, Setup, { show: boolean; required: boolean; comments: string[] }]
    > = [
      [
        'not asked for by the server nor the person',
        {},
        { show: false, required: false, comments: [] },
      ],
      [
        'required by the server (forceCommentsForAuditLog)',
        { forceComments: true },
        { show: true, required: true, comments: ['Certificate renewal', 'Key rotation'] },
      ],
      [
        'asked for by the preference, optional',
        { auditAlways: true },
        { show: true, required: false, comments: [] },
      ],
      [
        'required by the server whatever the preference',
        { forceComments: true, auditAlways: true },
        { show: true, required: true, comments: ['Certificate renewal', 'Key rotation'] },
      ],
    ];
    for (const [name, setup, audit] of cases) {
      it(name, async () => {
        const tab = await render(await storedPair(), setup);
        const spies = (['update', 'import', 'generate', 'delete'] as const).map((method) =>
          spyOn(tab.dialogs, method).and.resolveTo(undefined),
        );
        for (const label of ['Update', 'Import', 'Generate', 'Delete']) await tab.click(label);
        await until(() => spies.every((spy) => spy.calls.any()), 'every dialog opened');
        for (const spy of spies)
          expect((spy.calls.mostRecent().args[0] as { audit: unknown }).audit).toEqual(audit);
      });
    }
  });
});
