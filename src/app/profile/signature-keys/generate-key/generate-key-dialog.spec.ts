import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatFormFieldHarness } from '@angular/material/form-field/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatRadioGroupHarness } from '@angular/material/radio/testing';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import {
  NO_AUDIT,
  pairValidBetween,
  testProviders,
  until,
  useLanguage,
} from '../../key-tab/testing';
import { Session } from '../../../core/session/session';
import { defaultPreferences, type UserPreferences } from '../../../core/session/preferences';
import type { GenerateKeyDialogData } from './generate-key-dialog';

@Component({ template: '' })
class Host {}

describe('GenerateKeyDialog', () => {
  const session = 'joc-keys.session';
  const stored = 'joc-keys.preferences.root';
  afterEach(() => {
    sessionStorage.removeItem(session);
    localStorage.removeItem(stored);
  });

  async function open(
    data: Partial<GenerateKeyDialogData> = {},
    ca: object | 'error' = {},
    embedded = false,
    preferences?: Partial<UserPreferences>,
  ) {
    // Preferences are kept per account: the person is logged in as root with these.
    if (preferences) {
      sessionStorage.setItem(session, JSON.stringify({ token: 't', account: 'root' }));
      localStorage.setItem(stored, JSON.stringify({ ...defaultPreferences(), ...preferences }));
    }
    TestBed.configureTestingModule({ providers: testProviders() });
    // The embedded server says so in /joc/properties; there a chosen end date applies.
    if (embedded)
      TestBed.inject(Session).properties.set({
        securityLevel: 'LOW',
        defaultProfileAccount: 'root',
        forceCommentsForAuditLog: false,
        comments: [],
        embeddedServer: true,
      });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const http = TestBed.inject(HttpTestingController);
    const result = TestBed.inject(KeyDialogs).generate({
      account: 'root',
      audit: NO_AUDIT,
      ...data,
    });
    const dialog = await loader.getHarness(MatDialogHarness);
    const caRequest = http.expectOne('/joc/api/profile/ca');
    if (ca === 'error')
      caRequest.flush(
        { error: { code: 'JOC-403', message: 'no view' } },
        { status: 403, statusText: 'x' },
      );
    else caRequest.flush(ca);
    await fixture.whenStable();
    const generate = () => dialog.getHarness(MatButtonHarness.with({ text: 'Generate' }));
    return { fixture, dialog, http, result, generate };
  }

  it('follows a language switch while open: hints, the date as the language writes it, the picker', async () => {
    const { dialog, fixture } = await open({
      current: { hasKey: true, validUntil: new Date('2027-05-01T10:00:00Z') },
    });
    await useLanguage('de');
    await fixture.whenStable();
    expect(await dialog.getTitleText()).toBe('Signaturschlüssel erzeugen');
    const text = await dialog.getContentText();
    expect(text).toContain('Dies ersetzt den gespeicherten Schlüssel');
    expect(text).toContain('Es gibt noch keine SSL CA.');
    expect(text).toContain('Von JOC Cockpit festgelegt: 365 Tage.');
    // The field writes the format chosen in Preferences (here the default), in any language.
    const [, date] = await dialog.getAllHarnesses(MatInputHarness);
    const year = new Date().getFullYear() + 1;
    expect(await date.getValue()).toMatch(new RegExp(`^${year}-\\d{2}-\\d{2}$`));
    const toggle = document.querySelector('mat-datepicker-toggle button')!;
    expect(toggle.getAttribute('aria-label')).toBe('Kalender öffnen');
    await useLanguage('ja');
    await fixture.whenStable();
    expect(toggle.getAttribute('aria-label')).toBe('カレンダーを開く');
    expect(await date.getValue()).toMatch(new RegExp(`^${year}-\\d{2}-\\d{2}$`));
  });

  it('suggests ECDSA, CN=<account>,OU=JOC,O=JS7 and an end one year ahead', async () => {
    const { dialog } = await open();
    expect(await dialog.getTitleText()).toBe('Generate a signing key');
    expect(await (await dialog.getHarness(MatRadioGroupHarness)).getCheckedValue()).toBe('ECDSA');
    const [dn, date] = await dialog.getAllHarnesses(MatInputHarness);
    expect(await dn.getValue()).toBe('CN=root,OU=JOC,O=JS7');
    const year = new Date().getFullYear() + 1;
    expect(await date.getValue()).toContain(String(year));
  });

  it('disables "Use SSL CA" with the reason and a link when there is no CA', async () => {
    const { dialog } = await open();
    expect(await (await dialog.getHarness(MatCheckboxHarness)).isDisabled()).toBeTrue();
    const text = await dialog.getContentText();
    expect(text).toContain('No SSL CA exists yet.');
    expect(text).toContain('SSL Key Management');
    expect(
      document.querySelector('mat-dialog-container a[href="/profile/ssl-keys"]'),
    ).not.toBeNull();
  });

  it('enables "Use SSL CA" for a valid CA; checking it moves the default end to two years', async () => {
    const ca = await pairValidBetween(-1, 1000, 'ECDSA', 'CN=CA');
    const { dialog } = await open(
      {},
      {
        certificate: ca.certificate.pem,
        validUntil: ca.certificate.notAfter.toISOString(),
        keyID: 'CN=CA',
        keyAlgorithm: 'ECDSA',
        keyType: 'CA',
      },
    );
    const box = await dialog.getHarness(MatCheckboxHarness);
    expect(await box.isDisabled()).toBeFalse();
    await box.check();
    const [, date] = await dialog.getAllHarnesses(MatInputHarness);
    expect(await date.getValue()).toContain(String(new Date().getFullYear() + 2));
  });

  it('says before generating when Controllers need the new certificate, and when the SSL CA is enough', async () => {
    const ca = await pairValidBetween(-1, 1000, 'ECDSA', 'CN=CA');
    const { dialog } = await open(
      {},
      {
        certificate: ca.certificate.pem,
        validUntil: ca.certificate.notAfter.toISOString(),
        keyID: 'CN=CA',
        keyAlgorithm: 'ECDSA',
        keyType: 'CA',
      },
    );
    const note = () =>
      document.querySelector('mat-dialog-container .trust-note')?.textContent?.trim();
    expect(note()).toBe(
      'Controllers and Agents accept what the new key signs only once each holds its new certificate: the page offers the file when the key is made.',
    );
    await (await dialog.getHarness(MatCheckboxHarness)).check();
    expect(note()).toBe(
      "Controllers and Agents that already hold the SSL CA's certificate accept what the new key signs at once.",
    );
  });

  it('says when the chosen end is after the SSL CA ends, and not when it is before', async () => {
    const ca = await pairValidBetween(-1, 100, 'ECDSA', 'CN=CA');
    const { dialog, fixture } = await open(
      {},
      {
        certificate: ca.certificate.pem,
        validUntil: ca.certificate.notAfter.toISOString(),
        keyID: 'CN=CA',
        keyAlgorithm: 'ECDSA',
        keyType: 'CA',
      },
      true,
    );
    const caEnd = ca.certificate.notAfter.toISOString().slice(0, 10);
    const warning = 'The SSL CA that signs the certificate ends on';
    expect(await dialog.getContentText()).not.toContain(warning);
    await (await dialog.getHarness(MatCheckboxHarness)).check();
    await fixture.whenStable();
    // The default end with the CA is two years ahead: after this CA's 100 days.
    const note = () => document.querySelector('mat-dialog-container .ca-ends');
    expect(note()?.textContent).toContain(`${warning} ${caEnd}`);
    expect(note()?.getAttribute('role')).toBe('status');
    // The embedded server ends the certificate with its CA: the field's hint says that day.
    const hint = () =>
      Array.from(document.querySelectorAll('mat-dialog-container mat-hint'))
        .map((h) => h.textContent)
        .join(' ');
    expect(hint()).toContain(`Ends ${caEnd}.`);
    const [, date] = await dialog.getAllHarnesses(MatInputHarness);
    const soon = new Date(Date.now() + 30 * 86_400_000);
    await date.setValue(`${soon.getFullYear()}-${soon.getMonth() + 1}-${soon.getDate()}`);
    await date.blur();
    await fixture.whenStable();
    expect(note()).toBeNull();
    expect(hint()).not.toContain(caEnd);
  });

  it('refuses an expired CA with the reason', async () => {
    const { dialog } = await open(
      {},
      { certificate: 'x', validUntil: '2020-01-01T00:00:00Z', keyAlgorithm: 'ECDSA' },
    );
    expect(await (await dialog.getHarness(MatCheckboxHarness)).isDisabled()).toBeTrue();
    expect(await dialog.getContentText()).toContain('The SSL CA expired on 2020-01-01.');
  });

  it('checks the Distinguished Name with parseDn', async () => {
    const { dialog, generate, http } = await open();
    const [dn] = await dialog.getAllHarnesses(MatInputHarness);
    await dn.setValue('CN=root,XX=bad');
    await dn.blur();
    const field = (await dialog.getAllHarnesses(MatFormFieldHarness))[0];
    expect((await field.getTextErrors()).join(' ')).toContain('"XX" is not a known attribute type');
    expect(await (await generate()).isDisabled()).toBeTrue();
    http.verify();
  });

  it('a long account name: the suggested DN says at once why Generate is off', async () => {
    const account = 'maximilian.mustermann-schneider@operations.example-enterprise.com';
    const { dialog, generate } = await open({ account });
    const field = (await dialog.getAllHarnesses(MatFormFieldHarness))[0];
    expect((await field.getTextErrors()).join(' ')).toContain('CN may have at most 64 characters');
    expect(await (await generate()).isDisabled()).toBeTrue();
  });

  it('an account name with a comma is escaped in the suggested DN', async () => {
    const { dialog } = await open({ account: 'Doe, Jane' });
    const [dn] = await dialog.getAllHarnesses(MatInputHarness);
    expect(await dn.getValue()).toBe('CN=Doe\\, Jane,OU=JOC,O=JS7');
    const field = (await dialog.getAllHarnesses(MatFormFieldHarness))[0];
    expect(await field.getTextErrors()).toEqual([]);
  });

  it('a date the picker cannot read says how to write one, not that the field is empty', async () => {
    const { dialog } = await open({}, {}, true);
    const [, date] = await dialog.getAllHarnesses(MatInputHarness);
    await date.setValue('next week');
    await date.blur();
    const field = (await dialog.getAllHarnesses(MatFormFieldHarness))[1];
    const year = new Date().getFullYear() + 1;
    expect((await field.getTextErrors()).join(' ')).toContain(
      `Enter a date such as ${year}-12-31, or pick one.`,
    );
    await date.setValue(`${year}-12-31`);
    await date.blur();
    expect(await field.getTextErrors()).toEqual([]);
  });

  describe('with the date format and zone chosen in Preferences', () => {
    /** A date in the coming year: always after today. */
    const year = new Date().getFullYear() + 1;

    /** Types `text` into "Valid until" and leaves the field: what it shows, and its errors. */
    async function type(preferences: Partial<UserPreferences>, text: string, language?: 'de') {
      const opened = await open({}, {}, true, preferences);
      if (language) {
        await useLanguage(language);
        await opened.fixture.whenStable();
      }
      const [, date] = await opened.dialog.getAllHarnesses(MatInputHarness);
      await date.setValue(text);
      await date.blur();
      await opened.fixture.whenStable();
      const field = (await opened.dialog.getAllHarnesses(MatFormFieldHarness))[1];
      return {
        ...opened,
        shown: await date.getValue(),
        errors: await field.getTextErrors(),
        hint: (await field.getTextHints()).join(' '),
        placeholder: await date.getPlaceholder(),
      };
    }

    /** Presses Generate and returns the validUntil sent. */
    async function sent(opened: Awaited<ReturnType<typeof type>>): Promise<string> {
      await (await opened.generate()).click();
      return opened.http.expectOne('/joc/api/profile/key/generate').request.body.validUntil;
    }

    it('DD.MM.YYYY: "3.6." is 3 June, shown and sent so', async () => {
      const opened = await type({ dateFormat: 'DD.MM.YYYY', timeZone: 'UTC' }, `3.6.${year}`);
      expect(opened.shown).toBe(`03.06.${year}`);
      expect(opened.errors).toEqual([]);
      expect(opened.hint).toContain(`Ends 03.06.${year}.`);
      expect(opened.placeholder).toBe('DD.MM.YYYY');
      expect(await sent(opened)).toBe(`${year}-06-03T23:59:59.000Z`);
    });

    it('DD.MM.YYYY: the suggested end is written in it', async () => {
      const { dialog } = await open({}, {}, true, { dateFormat: 'DD.MM.YYYY' });
      const [, date] = await dialog.getAllHarnesses(MatInputHarness);
      expect(await date.getValue()).toMatch(new RegExp(`^\\d{2}\\.\\d{2}\\.${year}$`));
    });

    it('MM/DD/YYYY: month first, even in German', async () => {
      const opened = await type({ dateFormat: 'MM/DD/YYYY', timeZone: 'UTC' }, `6/3/${year}`, 'de');
      expect(opened.shown).toBe(`06/03/${year}`);
      expect(opened.hint).toContain(`Endet am 06/03/${year}.`);
      await (await opened.dialog.getHarness(MatButtonHarness.with({ text: 'Erzeugen' }))).click();
      const req = opened.http.expectOne('/joc/api/profile/key/generate');
      expect(req.request.body.validUntil).toBe(`${year}-06-03T23:59:59.000Z`);
    });

    it('MM/DD/YYYY: a 13th month is no date, not 13 January (in German either)', async () => {
      const opened = await type({ dateFormat: 'MM/DD/YYYY' }, `13/01/${year}`, 'de');
      expect(opened.errors.join(' ')).toContain(
        `Geben Sie ein Datum wie 12/31/${year} ein, oder wählen Sie eines aus.`,
      );
      await (await opened.dialog.getHarness(MatButtonHarness.with({ text: 'Erzeugen' }))).click();
      opened.http.expectNone('/joc/api/profile/key/generate');
    });

    it('YYYY-MM-DD: year first, shown so', async () => {
      const opened = await type({ dateFormat: 'YYYY-MM-DD', timeZone: 'UTC' }, `${year}-6-3`);
      expect(opened.shown).toBe(`${year}-06-03`);
      expect(await sent(opened)).toBe(`${year}-06-03T23:59:59.000Z`);
    });

    it('YYYY-MM-DD: a day-first date is not guessed', async () => {
      const opened = await type({ dateFormat: 'YYYY-MM-DD' }, `03.06.${year}`);
      expect(opened.errors.join(' ')).toContain(`Enter a date such as ${year}-12-31, or pick one.`);
    });

    it("D MMM YYYY in English: the month's name", async () => {
      const opened = await type({ dateFormat: 'D MMM YYYY', timeZone: 'UTC' }, `3 june ${year}`);
      expect(opened.shown).toBe(`3 Jun ${year}`);
      expect(opened.hint).toContain(`Ends 3 Jun ${year}.`);
      expect(await sent(opened)).toBe(`${year}-06-03T23:59:59.000Z`);
    });

    it("D MMM YYYY in German: the German month's name", async () => {
      const opened = await type(
        { dateFormat: 'D MMM YYYY', timeZone: 'UTC' },
        `3. Juni ${year}`,
        'de',
      );
      expect(opened.shown).toBe(`3. Juni ${year}`);
      expect(opened.errors).toEqual([]);
      expect(opened.hint).toContain(`Endet am 3. Juni ${year}.`);
      await (await opened.dialog.getHarness(MatButtonHarness.with({ text: 'Erzeugen' }))).click();
      const req = opened.http.expectOne('/joc/api/profile/key/generate');
      expect(req.request.body.validUntil).toBe(`${year}-06-03T23:59:59.000Z`);
    });

    it('a day that does not exist is refused with its message, and nothing is sent', async () => {
      const opened = await type({ dateFormat: 'DD.MM.YYYY' }, `31.02.${year}`);
      expect(opened.errors.join(' ')).toContain(`Enter a date such as 31.12.${year}, or pick one.`);
      await (await opened.generate()).click();
      opened.http.expectNone('/joc/api/profile/key/generate');
    });

    it("the chosen day ends at 23:59:59 in the person's zone (Auckland: NZST, UTC+12)", async () => {
      const opened = await type(
        { dateFormat: 'YYYY-MM-DD', timeZone: 'Pacific/Auckland' },
        `${year}-06-03`,
      );
      expect(opened.hint).toContain(`Ends ${year}-06-03.`);
      expect(await sent(opened)).toBe(`${year}-06-03T11:59:59.000Z`);
    });
  });

  it('says what a new pair replaces', async () => {
    const { dialog } = await open({
      current: { hasKey: true, validUntil: new Date('2027-05-01T10:00:00Z') },
    });
    expect(await dialog.getContentText()).toContain(
      'This replaces the stored key and the certificate valid until 2027-05-01.',
    );
  });

  it('says that a new pair replaces a certificate with no expiry date, not "no certificate"', async () => {
    const { dialog } = await open({ current: { hasKey: true, noExpiry: true } });
    const text = await dialog.getContentText();
    expect(text).toContain(
      'This replaces the stored key and its certificate, which has no expiry date.',
    );
    expect(text).not.toContain('it has no certificate');
  });

  it('sends the request, shows progress, blocks closing, and closes with the pair', async () => {
    const { dialog, generate, http, result } = await open();
    await (
      await dialog.getHarness(MatRadioGroupHarness)
    ).checkRadioButton({ label: 'RSA 4096 bits' });
    await (await generate()).click();
    const req = http.expectOne('/joc/api/profile/key/generate');
    expect(req.request.body.keyAlgorithm).toBe('RSA');
    expect(req.request.body.dn).toBe('CN=root,OU=JOC,O=JS7');
    expect(req.request.body.useSslCa).toBeFalse();
    expect(new Date(req.request.body.validUntil).getFullYear()).toBe(new Date().getFullYear() + 1);
    expect(Object.keys(req.request.body).sort()).toEqual([
      'dn',
      'keyAlgorithm',
      'useSslCa',
      'validUntil',
    ]);
    expect(await dialog.getContentText()).toContain('RSA 4096-bit key: this takes a few seconds');
    expect(
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).isDisabled(),
    ).toBeTrue();
    await dialog.close();
    expect(await dialog.getTitleText()).toBe('Generate a signing key');
    const pair = { keyAlgorithm: 'RSA', certificate: 'C', privateKey: 'K' };
    req.flush(pair);
    expect(await result).toEqual({ pair });
  });

  it('shows the server error inside the dialog', async () => {
    const { dialog, generate, http, fixture } = await open();
    await (await generate()).click();
    http
      .expectOne('/joc/api/profile/key/generate')
      .flush(
        { error: { code: 'JOC-003', message: 'No SSL CA is configured.' } },
        { status: 420, statusText: 'x' },
      );
    await fixture.whenStable();
    await until(
      async () => (await dialog.getContentText()).includes('No SSL CA is configured.'),
      'error text',
    );
    expect(await dialog.getContentText()).toContain('JOC-003');
  });
});
