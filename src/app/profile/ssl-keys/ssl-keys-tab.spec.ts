import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import type { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import type { JocSecurityLevel } from '../../../contract';
import { generateCa } from '../../../pki';
import { Session } from '../../core/session/session';
import { SslCa } from '../../core/session/ssl-ca';
import { emptyHistory, testProviders, until, useLanguage } from '../key-tab/testing';
import { caPolicy } from './ca-policy';
import { SslKeysTab } from './ssl-keys-tab';

const DAY = 86_400_000;

async function caAnswer(untilDays = 1800, dn = 'CN=JS7 CA,O=JS7') {
  const made = await generateCa({
    dn,
    notAfter: new Date(Date.now() + untilDays * DAY),
  });
  if (!made.ok) throw new Error(made.message);
  const c = made.value.certificate;
  return {
    privateKey: made.value.privateKey.pem,
    certificate: c.pem,
    keyID: c.subject,
    validUntil: c.notAfter.toISOString(),
    keyAlgorithm: 'ECDSA',
    keyType: 'CA',
  };
}

/** Waits for the tab's `/profile/ca` call (match() takes it off the open list). */
async function call(http: HttpTestingController, fixture: { detectChanges(): void }) {
  let calls: TestRequest[] = [];
  await until(
    () =>
      (calls = http.match('/joc/api/profile/ca')).length > 0 || (fixture.detectChanges(), false),
    'the /profile/ca call',
  );
  return calls[0];
}

/** The dialog Show opens once the CA has been read again and its certificate summarised. */
async function openedDialog(loader: HarnessLoader): Promise<MatDialogHarness> {
  await until(
    async () => (await loader.getAllHarnesses(MatDialogHarness)).length > 0,
    'the Show dialog',
  );
  return loader.getHarness(MatDialogHarness);
}

describe('caPolicy', () => {
  it('shows the CA to every account with view, at every level; manage for the buttons', () => {
    const table: Array<[boolean, boolean, boolean, boolean]> = [
      [true, true, true, true],
      [true, false, true, false],
      [false, false, false, false],
    ];
    for (const [view, manage, shown, buttons] of table) {
      const policy = caPolicy({ view, manage });
      expect([view, manage, policy.showTab, policy.canManage]).toEqual([
        view,
        manage,
        shown,
        buttons,
      ]);
    }
  });
});

describe('SslKeysTab', () => {
  async function render(ca: object, { level = 'LOW' as JocSecurityLevel, manage = true } = {}) {
    // The session as the shell leaves it after login: properties and permissions read.
    const session: Partial<Session> = {
      token: signal('T'),
      refresh: () => Promise.resolve(),
      account: signal('root'),
      properties: signal({
        securityLevel: level,
        defaultProfileAccount: 'root',
        forceCommentsForAuditLog: false,
        comments: [],
      }),
      permissions: signal({
        roles: [],
        joc: { administration: { certificates: { view: true, manage } } },
      }),
    };
    TestBed.configureTestingModule({
      imports: [SslKeysTab],
      providers: [...testProviders(), emptyHistory(), { provide: Session, useValue: session }],
    });
    // The History panel is a deferred dependency: compiled before the component is created.
    await TestBed.compileComponents();
    const fixture = TestBed.createComponent(SslKeysTab);
    const http = TestBed.inject(HttpTestingController);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    // whenStable() waits for the pending call too: answer it first.
    (await call(http, fixture)).flush(ca);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    await until(
      async () => (await fixture.whenStable(), !!element.querySelector('tr[appKeyRow]')),
      'the row',
      4000,
    );

    const buttons = () =>
      Array.from(element.querySelectorAll('tr[appKeyRow] button')).map((b) =>
        b.getAttribute('aria-label'),
      );
    return { fixture, http, loader, element, buttons };
  }

  it('without a CA: says so and offers Update, Import and Generate, never Delete', async () => {
    const { element, buttons } = await render({});
    expect(element.querySelector('tr[appKeyRow] th')?.textContent).toBe('SSL CA');
    expect(element.textContent).toContain('No SSL CA exists');
    expect(buttons()).toEqual(['Update', 'Import', 'Generate']);
  });

  it('with a CA: subject, status, validity bar, algorithm and fingerprint, like the signature row', async () => {
    const { element, buttons } = await render(await caAnswer());
    const row = element.querySelector('tr[appKeyRow]')!;
    expect(row.textContent).toContain('CN=JS7 CA,O=JS7');
    expect(row.querySelector('.status')?.textContent).toContain('Valid');
    expect(row.querySelector('mat-progress-bar')).not.toBeNull();
    expect(row.textContent).toContain('ECDSA P-256');
    expect(row.querySelector('.fingerprint')?.textContent).toMatch(/([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(buttons()).toEqual(['Show', 'Update', 'Import', 'Generate']);
  });

  it('an expiring CA says what to do', async () => {
    const { element } = await render(await caAnswer(20));
    expect(element.textContent).toMatch(/Expires in (19|20) days/);
    expect(element.textContent).toContain(
      'give the new CA certificate to every Controller and Agent',
    );
  });

  it('hands the CA it read to the banner on every page: its certificate, not its key', async () => {
    const ca = await caAnswer(20);
    const { http } = await render(ca);
    // Read here already: the banner gets it without another call, and never the private key.
    expect(await TestBed.inject(SslCa).read()).toEqual({ certificate: ca.certificate });
    expect(http.match('/joc/api/profile/ca')).toEqual([]);
  });

  it('a viewer sees the CA and Show only', async () => {
    const { buttons } = await render(await caAnswer(), { level: 'MEDIUM', manage: false });
    expect(buttons()).toEqual(['Show']);
  });

  it('at HIGH: the CA and its buttons as at every level (JOC issues Agent certificates from it)', async () => {
    const { buttons } = await render(await caAnswer(), { level: 'HIGH' });
    expect(buttons()).toEqual(['Show', 'Update', 'Import', 'Generate']);
  });

  it('Show: the generalised dialog with the CA title, masked key and ssl-ca file names', async () => {
    const ca = await caAnswer();
    const { element, loader, http, fixture } = await render(ca);
    (element.querySelector('button[aria-label=Show]') as HTMLButtonElement).click();
    (await call(http, fixture)).flush(ca);
    const dialog = await openedDialog(loader);
    expect(await dialog.getTitleText()).toBe('SSL CA key and certificate');
    const text = await dialog.getContentText();
    expect(text).toContain('The private key is hidden');
    expect(text).not.toContain(ca.privateKey.split('\n')[1]);
    expect(text).toContain('keyCertSign');
    const names: string[] = [];
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    for (const b of await dialog.getAllHarnesses(MatButtonHarness.with({ text: /Download/ })))
      await b.click();
    // The CA certificate under the trust panel's name: one file on the Controllers.
    expect(names).toEqual(['ssl-ca-key.pem', 'JS7_CA.pem']);
  });

  it('Show reads the CA again: a session the server ended opens no dialog', async () => {
    const { element, loader, http, fixture } = await render(await caAnswer());
    (element.querySelector('button[aria-label=Show]') as HTMLButtonElement).click();
    (await call(http, fixture)).flush(
      { error: { code: 'JOC-440', message: 'session expired' } },
      { status: 440, statusText: 'Session Timeout' },
    );
    await fixture.whenStable();
    expect(await loader.getAllHarnesses(MatDialogHarness)).toEqual([]);
  });

  it('Show shows the CA as stored now when another session renewed it', async () => {
    const { element, loader, http, fixture } = await render(await caAnswer());
    (element.querySelector('button[aria-label=Show]') as HTMLButtonElement).click();
    (await call(http, fixture)).flush(await caAnswer(400, 'CN=Renewed CA,O=JS7'));
    const dialog = await openedDialog(loader);
    expect(await dialog.getContentText()).toContain('CN=Renewed CA,O=JS7');
    await until(
      async () => (
        await fixture.whenStable(),
        !!element.querySelector('tr[appKeyRow]')?.textContent?.includes('CN=Renewed CA,O=JS7')
      ),
      'the renewed CA in the row',
    );
  });

  it('Generate: the DN is required and checked as a DN; the new CA is then shown', async () => {
    const { fixture, element, loader, http } = await render({});
    (element.querySelector('button[aria-label=Generate]') as HTMLButtonElement).click();
    // Read again first: the dialog names what is stored now.
    (await call(http, fixture)).flush({});
    const dialog = await openedDialog(loader);
    expect(await dialog.getTitleText()).toBe('Generate the SSL CA');
    const generate = await dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }));
    await generate.focus();
    await generate.click();
    expect(await dialog.getContentText()).toContain("Enter the CA's Distinguished Name");
    const dn = await dialog.getHarness(MatInputHarness);
    // The focus goes to the field that says what is missing.
    await until(async () => await dn.isFocused(), 'the focus on the DN field');
    await dn.setValue('CN');
    await dn.blur();
    expect(await dialog.getContentText()).not.toContain("Enter the CA's Distinguished Name");
    expect(
      document.querySelector('mat-dialog-container mat-error')?.textContent?.trim(),
    ).toBeTruthy();
    // Without a CN, JOC Cockpit could issue no certificate from the CA.
    await dn.setValue('O=JS7,OU=Operations');
    await dn.blur();
    expect(document.querySelector('mat-dialog-container mat-error')?.textContent).toContain(
      'A CA needs a common name (CN=…)',
    );
    await dn.setValue('CN=JS7 CA,O=JS7');
    await generate.click();
    // Just before writing, the CA is read again: still none, as when the dialog opened.
    (await call(http, fixture)).flush({});
    let request!: TestRequest;
    await until(
      () => ([request] = http.match('/joc/api/profile/ca/generate')).length > 0,
      'the generate call',
    );
    expect(request.request.body).toEqual({ dn: 'CN=JS7 CA,O=JS7' });
    const ca = await caAnswer();
    request.flush(ca);
    (await call(http, fixture)).flush(ca);
    await until(
      async () => (await fixture.whenStable(), element.textContent!.includes('CN=JS7 CA,O=JS7')),
      'the new CA',
    );
  });

  it('Generate: the empty DN field looks empty; the example DN is in the hint below it', async () => {
    const { element, loader, http, fixture } = await render({});
    (element.querySelector('button[aria-label=Generate]') as HTMLButtonElement).click();
    (await call(http, fixture)).flush({});
    const dialog = await openedDialog(loader);
    const dn = await dialog.getHarness(MatInputHarness);
    expect(await dn.getValue()).toBe('');
    // A grey DN inside the focused field read as a value already there: Generate then refused it.
    expect(await dn.getPlaceholder()).toBe('');
    expect(await dialog.getContentText()).toContain(
      "The CA's subject, e.g. CN=JS7 CA,OU=Operations,O=Example",
    );
  });

  it('Generate names the CA another session stored meanwhile, and reads the CA after a dismissal', async () => {
    const { element, loader, fixture, http } = await render({});
    (element.querySelector('button[aria-label=Generate]') as HTMLButtonElement).click();
    const renewed = await caAnswer();
    (await call(http, fixture)).flush(renewed);
    const dialog = await openedDialog(loader);
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }))).click();
    expect(await dialog.getContentText()).toContain('This replaces the SSL CA CN=JS7 CA,O=JS7');
    // Clicked in the page: a harness would wait for the tab's read that follows, unanswered.
    Array.from(document.querySelectorAll<HTMLButtonElement>('mat-dialog-container button'))
      .find((b) => b.textContent?.trim() === 'Cancel')!
      .click();
    // A request whose answer was lost may have changed the CA: it is read again.
    (await call(http, fixture)).flush(renewed);
    await until(
      () => (fixture.detectChanges(), element.textContent!.includes('CN=JS7 CA,O=JS7')),
      'the CA in the row',
    );
  });

  it('follows a switch to German at once: heading, intro with its folder, row, HIGH notice', async () => {
    const { element, fixture } = await render(await caAnswer());
    await useLanguage('de');
    fixture.detectChanges();
    expect(element.querySelector('h2')?.textContent).toBe('SSL-Schlüsselverwaltung');
    const intro = element.querySelector('p.intro')!;
    expect(intro.textContent).toContain(
      'Die SSL CA stellt die Zertifikate der Signaturschlüssel aus',
    );
    expect(intro.querySelector('code')?.textContent).toBe('./config/private/trusted-x509-keys/');
    expect(intro.textContent).toContain('in den Ordner ./config/private/trusted-x509-keys/ jedes');
    expect(element.querySelector('tr[appKeyRow] .status')?.textContent).toContain('Gültig');
    expect(element.querySelector('thead')?.textContent).toContain('Schlüsselalgorithmus');
  });

  it('Generate in German: title, intro, the required DN, and the what-it-replaces note', async () => {
    const answer = await caAnswer();
    const { element, loader, fixture, http } = await render(answer);
    await useLanguage('de');
    fixture.detectChanges();
    (element.querySelector('button[aria-label=Erzeugen]') as HTMLButtonElement).click();
    (await call(http, fixture)).flush(answer);
    const dialog = await openedDialog(loader);
    expect(await dialog.getTitleText()).toBe('SSL CA erzeugen');
    expect(await dialog.getContentText()).toContain('Subject der CA, z. B.');
    await (await dialog.getHarness(MatButtonHarness.with({ text: 'Erzeugen' }))).click();
    const text = await dialog.getContentText();
    expect(text).toContain('Dies ersetzt die SSL CA CN=JS7 CA,O=JS7, gültig bis');
    expect(text).toContain('Eine neue ECDSA-P-256-Root-CA, fünf Jahre gültig.');
    expect(text).toContain('Geben Sie den Distinguished Name der CA ein');
    expect(text).not.toMatch(/Generate|Cancel|Enter the/);
  });
});
