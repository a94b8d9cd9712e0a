import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { MatFormFieldHarness } from '@angular/material/form-field/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { generateCa } from '../../../../pki';
import {
  fixtureText,
  pairValidBetween as pkiPairValidBetween,
  untilEndOfDay,
} from '../../../../pki/testing';
import { formatDateTime } from '../../../core/session/date-format';
import { FIXTURES } from '../../../../pki/testdata/fixtures';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import { NO_AUDIT, issuedBy, pairValidBetween, testProviders, until } from '../../key-tab/testing';

@Component({ template: '' })
class Host {}

describe('UpdateKeyDialog', () => {
  async function open() {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    const loader = TestbedHarnessEnvironment.documentRootLoader(fixture);
    const result = TestBed.inject(KeyDialogs).update({ audit: NO_AUDIT });
    const dialog = await loader.getHarness(MatDialogHarness);
    const input = (label: string) =>
      dialog.getHarness(MatInputHarness.with({ selector: `[formcontrolname="${label}"]` }));
    const storeButton = () => dialog.getHarness(MatButtonHarness.with({ text: 'Store' }));
    const settle = async () => {
      await fixture.whenStable();
      await new Promise((r) => setTimeout(r, 50));
      await fixture.whenStable();
    };
    /** What the field labelled `label` says under it once `text` is typed and left. */
    const fieldErrors = async (control: string, label: RegExp, text: string) => {
      const typed = await input(control);
      await typed.setValue(text);
      await typed.blur();
      await settle();
      const field = await dialog.getHarness(MatFormFieldHarness.with({ floatingLabelText: label }));
      await until(async () => (await field.getTextErrors()).length > 0, 'field error');
      return field.getTextErrors();
    };
    return {
      fixture,
      dialog,
      result,
      input,
      storeButton,
      settle,
      fieldErrors,
      http: TestBed.inject(HttpTestingController),
    };
  }

  it('recognises a valid pair, enables Store and sends the canonical PEM with its algorithm', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, input, storeButton, settle, http, result } = await open();
    expect(await dialog.getTitleText()).toBe('Update the signing key');
    expect(await (await storeButton()).isDisabled()).toBeTrue();
    // CRLF line ends and blank lines around: what people paste.
    await (
      await input('privateKey')
    ).setValue('\r\n' + pair.privateKey.pem.replace(/\n/g, '\r\n') + '\r\n');
    await (await input('certificate')).setValue(pair.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    const text = await dialog.getContentText();
    expect(text).toContain('Recognised: ECDSA P-256 private key, PKCS#8');
    expect(text).toContain('Recognised: Certificate for CN=test,OU=JOC,O=JS7');
    expect(text).toContain('The private key and the certificate belong together.');
    expect(text).not.toContain('expires');
    await (await storeButton()).click();
    const req = http.expectOne('/joc/api/profile/key/store');
    expect(req.request.body).toEqual({
      keys: {
        privateKey: pair.privateKey.pem,
        certificate: pair.certificate.pem,
        keyAlgorithm: 'ECDSA',
      },
    });
    req.flush({ ok: true });
    expect(await result).toEqual({ saved: true, certificate: req.request.body.keys.certificate });
  });

  it('a pasted chain, CA first: stores the key’s own certificate and says the CA is not stored', async () => {
    const { ca, pair } = await issuedBy('CN=Paste CA', 'CN=signer');
    const { dialog, input, storeButton, settle, http } = await open();
    await (await input('privateKey')).setValue(pair.privateKey.pem);
    await (await input('certificate')).setValue(ca.certificate.pem + pair.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    const text = await dialog.getContentText();
    expect(text).toContain('Recognised: Certificate for CN=signer');
    expect(text).toContain(
      'Only the certificate CN=signer is stored, not the other certificate in the text:',
    );
    await (await storeButton()).click();
    const req = http.expectOne('/joc/api/profile/key/store');
    expect(req.request.body.keys.certificate).toBe(pair.certificate.pem);
    req.flush({ ok: true });
  });

  it('says when the key field holds two keys and only the first is used', async () => {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const { dialog, input, storeButton, settle } = await open();
    await (await input('privateKey')).setValue(a.privateKey.pem + b.privateKey.pem);
    await (await input('certificate')).setValue(a.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    expect(await dialog.getContentText()).toContain('2 private keys');
  });

  it('says when the certificate does not belong to the key, and keeps Store disabled', async () => {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const { dialog, input, storeButton, settle } = await open();
    await (await input('privateKey')).setValue(a.privateKey.pem);
    await (await input('certificate')).setValue(b.certificate.pem);
    await settle();
    await until(
      async () => (await dialog.getContentText()).includes('does not belong to this private key'),
      'mismatch message',
    );
    expect(await (await storeButton()).isDisabled()).toBeTrue();
  });

  it('puts the PKI message under the field: a certificate where the key belongs', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { fieldErrors } = await open();
    expect(await fieldErrors('privateKey', /Private key/, pair.certificate.pem)).toEqual([
      'This is a certificate; a private key is expected here.',
    ]);
  });

  it('shows the certificate field what a certificate starts with, when its text has no PEM block', async () => {
    const { fieldErrors } = await open();
    expect(await fieldErrors('certificate', /Certificate/, 'hello')).toEqual([
      'No PEM block was found: a certificate starts with the line "-----BEGIN CERTIFICATE-----".',
    ]);
  });

  it('says before storing that the certificate expires within the warning threshold', async () => {
    const pair = await pairValidBetween(-1, untilEndOfDay(10));
    const { dialog, input, storeButton, settle } = await open();
    await (await input('privateKey')).setValue(pair.privateKey.pem);
    await (await input('certificate')).setValue(pair.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    expect(await dialog.getContentText()).toContain('The certificate expires in 10 days, on ');
    expect(await dialog.getContentText()).toContain(
      'After that, deployments fail until a new key and certificate are stored.',
    );
  });

  it('says at once that a key encrypted with scrypt is not supported, and asks no passphrase', async () => {
    const { dialog, fieldErrors } = await open();
    expect(
      await fieldErrors('privateKey', /Private key/, atob(FIXTURES['ec256.scrypt.pem'])),
    ).toEqual([
      'This private key is encrypted with scrypt, which is not supported: re-encrypt it with PBKDF2 and AES, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEYFILE -out NEWFILE".',
    ]);
    expect(await dialog.getContentText()).not.toContain('Passphrase of the private key');
    expect(document.querySelector('[formcontrolname="passphrase"]')).toBeNull();
  });

  it('sends a pasted base64 PKCS#12 file to Import, which has its password field', async () => {
    const { fieldErrors } = await open();
    expect(await fieldErrors('privateKey', /Private key/, FIXTURES['ec256.p12'])).toEqual([
      'Private key: this is a PKCS#12 file. Use Import and give its password.',
    ]);
  });

  it('checks the CA given with the certificate as the Controllers will: one expiring soon is said', async () => {
    const day = 86_400_000;
    // The readiness rules count days in UTC, as they write their dates: the last second of the
    // UTC date 30 days ahead.
    const today = new Date();
    const ca = await generateCa({
      dn: 'CN=Short CA',
      now: new Date(Date.now() - day),
      notAfter: new Date(
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 30, 23, 59, 59),
      ),
    });
    if (!ca.ok) throw new Error(ca.message);
    const issuer = { privateKey: ca.value.privateKey.pem, certificate: ca.value.certificate.pem };
    const pair = await pkiPairValidBetween(-1, 30, { dn: 'CN=signer', issuer });
    const { dialog, input, storeButton, settle } = await open();
    await (await input('privateKey')).setValue(pair.privateKey.pem);
    await (await input('certificate')).setValue(pair.certificate.pem + ca.value.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    const text = await dialog.getContentText();
    expect(text).toMatch(/CN=Short CA.{0,40} expires in 30 days/);
  });

  it('refuses an expired certificate with its date', async () => {
    const pair = await pairValidBetween(-400, -2);
    const { dialog, input, storeButton, settle } = await open();
    await (await input('privateKey')).setValue(pair.privateKey.pem);
    await (await input('certificate')).setValue(pair.certificate.pem);
    await settle();
    await until(
      async () => (await dialog.getContentText()).includes('expired on'),
      'expired message',
    );
    expect(await (await storeButton()).isDisabled()).toBeTrue();
  });

  /** Runs `body` as alice, whose Preferences say `preferences`. */
  async function withPreferences(preferences: object, body: () => Promise<void>) {
    sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 't', account: 'alice' }));
    localStorage.setItem('joc-keys.preferences.alice', JSON.stringify(preferences));
    try {
      await body();
    } finally {
      sessionStorage.removeItem('joc-keys.session');
      localStorage.removeItem('joc-keys.preferences.alice');
    }
  }

  it("writes an expired certificate's end in the person's zone and format, not in UTC", async () => {
    await withPreferences({ timeZone: 'Pacific/Auckland', dateFormat: 'DD.MM.YYYY' }, async () => {
      const pair = await pairValidBetween(-400, -2);
      const { dialog, input, settle } = await open();
      await (await input('privateKey')).setValue(pair.privateKey.pem);
      await (await input('certificate')).setValue(pair.certificate.pem);
      await settle();
      await until(
        async () => (await dialog.getContentText()).includes('expired on'),
        'expired message',
      );
      const end = formatDateTime(pair.certificate.notAfter, 'Pacific/Auckland', 'DD.MM.YYYY');
      const text = await dialog.getContentText();
      expect(text).toContain(`the certificate expired on ${end}.`);
      expect(text).not.toContain('UTC');
    });
  });

  it('a certificate with no expiry date (99991231235959Z): says so, in no year and no zone', async () => {
    // East of UTC its end falls on 1 January 10000.
    await withPreferences({ timeZone: 'Asia/Tokyo' }, async () => {
      const { dialog, input, storeButton, settle } = await open();
      await (await input('privateKey')).setValue(fixtureText('noexpiry.pkcs8.pem'));
      await (await input('certificate')).setValue(fixtureText('noexpiry.crt.pem'));
      await settle();
      await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
      const text = await dialog.getContentText();
      expect(text).toMatch(/self-signed, valid from \d{4}-\d\d-\d\d, no expiry date/);
      expect(text).not.toMatch(/9999|10000/);
    });
  });

  it('shows the 420 message inside the dialog, and blocks closing while sending', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, input, storeButton, settle, http, fixture } = await open();
    await (await input('privateKey')).setValue(pair.privateKey.pem);
    await (await input('certificate')).setValue(pair.certificate.pem);
    await settle();
    await until(async () => !(await (await storeButton()).isDisabled()), 'Store enabled');
    const store = document.querySelector<HTMLButtonElement>('button[type=submit]')!;
    store.focus();
    store.click();
    await fixture.whenStable();
    const req = http.expectOne('/joc/api/profile/key/store');
    expect(
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).isDisabled(),
    ).toBeTrue();
    // The pressed button keeps the focus (a disabled button would drop it to the page), and a
    // second press sends nothing more.
    expect(await (await storeButton()).isDisabled()).toBeTrue();
    expect(document.activeElement).toBe(store);
    store.click();
    await fixture.whenStable();
    http.expectNone('/joc/api/profile/key/store');
    await dialog.close();
    expect(await dialog.getTitleText()).toBe('Update the signing key');
    // The harness's Escape moved the focus to the dialog: back to Store, as after the press.
    store.focus();
    req.flush(
      {
        error: {
          code: 'JOC-411',
          message: 'Certificate: the certificate expired on 2021-01-01 00:00 UTC.',
        },
      },
      { status: 420, statusText: 'x' },
    );
    await fixture.whenStable();
    await until(
      async () => (await dialog.getContentText()).includes('the certificate expired on 2021-01-01'),
      'server message',
    );
    expect(document.activeElement).toBe(store);
  });

  it('keeps Store reachable while the form is incomplete; pressing it says what is missing', async () => {
    const { dialog, fixture, http } = await open();
    const store = document.querySelector<HTMLButtonElement>('button[type=submit]')!;
    expect(store.disabled).toBeFalse();
    expect(store.getAttribute('aria-disabled')).toBe('true');
    store.focus();
    store.click();
    await fixture.whenStable();
    http.expectNone('/joc/api/profile/key/store');
    const text = await dialog.getContentText();
    expect(text).toContain('Paste the private key (PEM text).');
    expect(text).toContain('Paste the certificate (PEM text).');
    // The focus goes to the first field that says what is missing.
    await until(
      () => document.activeElement?.getAttribute('formcontrolname') === 'privateKey',
      'the focus on the private key field',
    );
  });
});
