import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { I18n } from '../../core/i18n/i18n';
import { provideI18nTesting } from '../../core/i18n/testing';
import { checkSigningPair } from '../../../pki';
import { fixtureText } from '../../../pki/testing';
import { decryptionMessage, decryptionNotice } from './decrypt-off-thread';
import {
  dnValidator,
  forgetReads,
  futureDateValidator,
  holdReads,
  pemCertificateValidator,
  pemPrivateKeyValidator,
  pkiMessage,
  pkiProblem,
  readCertificatesOnce,
  readKeyOnce,
} from './pem-validators';

describe('PKI messages in the key dialogs', () => {
  let i18n: I18n;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [...provideI18nTesting()] });
    i18n = TestBed.inject(I18n);
  });
  afterEach(async () => {
    forgetReads();
    await i18n.use('en', false);
  });

  async function validate(
    validator: ReturnType<typeof pemCertificateValidator>,
    value: string,
  ): Promise<FormControl> {
    const control = new FormControl(value);
    control.setErrors((await validator(control)) as never);
    return control;
  }

  it("a validator's error carries the core's code and values beside the English text", async () => {
    const control = await validate(pemCertificateValidator(), fixtureText('ec256.pkcs8.pem'));
    const problem = pkiProblem(control)!;
    expect(problem.code).toBe('privateKeyNotCertificate');
    expect(problem.reason).toBe('key-not-certificate');
    expect(pkiMessage(control)).toBe('This is a private key; a certificate is expected here.');
    expect(i18n.message(problem)).toBe(problem.message);
    await i18n.use('de', false);
    expect(i18n.message(problem)).toBe(
      'Dies ist ein privater Schlüssel; hier wird ein Zertifikat erwartet.',
    );
  });

  it("an encrypted key without passphrase asks for it below, in the person's language", async () => {
    const control = await validate(
      pemPrivateKeyValidator(() => ''),
      fixtureText('ec256.encrypted.pem'),
    );
    const problem = pkiProblem(control)!;
    expect(problem.code).toBe('privateKeyEncryptedHere');
    expect(i18n.message(problem)).toBe(
      'This private key is encrypted: enter its passphrase below.',
    );
    await i18n.use('fr', false);
    expect(i18n.message(problem)).toBe(
      'Cette clé privée est chiffrée\u00a0: saisissez sa phrase secrète ci-dessous.',
    );
  });

  it('a DN error passes its values (the attribute and what was written)', () => {
    const control = new FormControl('CN=a,C=Germany', { nonNullable: true });
    control.setErrors(dnValidator(control));
    const problem = pkiProblem(control)!;
    expect(problem.code).toBe('dnCountry');
    expect(problem.params).toEqual({ value: 'Germany' });
    expect(i18n.message(problem)).toBe(problem.message);
  });

  it('a failure in a field is named by the field, in each language', async () => {
    const failure = await checkSigningPair({ privateKey: 'hello' });
    if (failure.ok) fail('expected a failure');
    else {
      expect(failure.field).toBe('privateKey');
      expect(i18n.message(failure)).toBe(failure.message);
      await i18n.use('de', false);
      expect(i18n.message(failure)).toMatch(/^Privater Schlüssel: Kein PEM-Block gefunden:/);
      await i18n.use('fr', false);
      expect(i18n.message(failure)).toMatch(/^Clé privée\u00a0: aucun bloc PEM trouvé\u00a0:/);
    }
  });

  it('a date error is coded too; a date must be after the given today', async () => {
    const validator = futureDateValidator(
      () => new Date(2027, 5, 3),
      () => '31.12.2027',
    );
    const check = (d: Date) => validator(new FormControl<Date | null>(d))?.['date'];
    const error = check(new Date(2027, 5, 3));
    expect(error.code).toBe('dateNotFuture');
    expect(check(new Date(2027, 5, 4))).toBeUndefined();
    expect(i18n.message(error)).toBe('The end date must be after today.');
    await i18n.use('de', false);
    expect(i18n.message(error)).toBe('Das Enddatum muss nach dem heutigen Tag liegen.');
    const invalid = check(new Date(NaN));
    expect(invalid.code).toBe('dateInvalid');
    expect(i18n.message(invalid)).toBe(
      'Geben Sie ein Datum wie 31.12.2027 ein, oder wählen Sie eines aus.',
    );
  });

  it("a decryption that did not finish is coded; its English is decryptionNotice's", () => {
    const m = decryptionMessage({ what: 'file', name: 'key.p12' }, 'too-slow', 60_000);
    expect(m.code).toBe('decryptTooSlow');
    expect(m.params).toEqual({ what: 'file', name: 'key.p12', limit: 60, unit: 's' });
    expect(m.message).toBe(decryptionNotice('key.p12', 'too-slow', 60_000));
    expect(i18n.message(m)).toBe(m.message);
    const key = decryptionMessage({ what: 'privateKey' }, 'stopped', 500);
    expect(i18n.message(key)).toBe('Stopped: The private key was not opened, nothing was changed.');
  });
});

describe('The reads the key dialogs remember', () => {
  afterEach(() => forgetReads());

  it("a dialog destroyed after the next one opened leaves that one's decryption running", async () => {
    const closing = holdReads();
    const opened = holdReads();
    const read = readKeyOnce(fixtureText('ec256.encrypted.pem'), 'secret');
    // The first dialog's close animation ends while the second decrypts the pasted key.
    closing();
    const key = await read;
    expect(key.ok)
      .withContext(key.ok ? '' : key.message)
      .toBeTrue();
    opened();
  });

  it('are dropped when the last dialog closes', async () => {
    const text = fixtureText('ec256.crt.pem');
    const first = holdReads();
    const second = holdReads();
    const answer = readCertificatesOnce(text);
    first();
    first(); // released twice: counted once
    expect(readCertificatesOnce(text)).toBe(answer);
    second();
    expect(readCertificatesOnce(text)).not.toBe(answer);
    await answer;
  });
});
