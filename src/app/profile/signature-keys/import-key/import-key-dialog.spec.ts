import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatDialogHarness } from '@angular/material/dialog/testing';
import { FIXTURES } from '../../../../pki/testdata/fixtures';
import { KeyDialogs } from '../../key-tab/key-dialogs';
import {
  NO_AUDIT,
  issuedBy,
  pairValidBetween,
  testProviders,
  until,
  useLanguage,
} from '../../key-tab/testing';
import { combine, type ImportedFile, ImportKeyDialog } from './import-key-dialog';
import { readPrivateKey } from '../../../../pki';
import { untilEndOfDay } from '../../../../pki/testing';

@Component({ template: '' })
class Host {}

describe('ImportKeyDialog', () => {
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
    const importButton = () => dialog.getHarness(MatButtonHarness.with({ text: 'Import' }));
    const add = async (...files: File[]) => {
      await component().add(files);
      await fixture.whenStable();
    };
    return {
      fixture,
      dialog,
      result,
      add,
      importButton,
      http: TestBed.inject(HttpTestingController),
    };
  }

  const file = (name: string, text: string) => new File([text], name);
  /** An encrypted PKCS#8 key (OpenSSL, passphrase "secret"): listed, not read until opened. */
  const ENCRYPTED_KEY = atob(FIXTURES['ec256.encrypted.pem']);

  it('lists what each file holds, previews the pair and stores key and certificate in one call', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton, http, result } = await open();
    expect(await dialog.getTitleText()).toBe('Import a signing key');
    expect(await (await importButton()).isDisabled()).toBeTrue();
    await add(file('root.key', pair.privateKey.pem), file('root.crt', pair.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    const text = await dialog.getContentText();
    expect(text).toContain('root.key');
    expect(text).toContain('ECDSA P-256 private key, PKCS#8');
    expect(text).toContain('Certificate for CN=test,OU=JOC,O=JS7');
    expect(text).toContain('The private key and the certificate belong together.');
    await (await importButton()).click();
    const req = await next(http);
    // One write: both are stored, or neither (two imports left a new key without certificate).
    expect(req.request.body).toEqual({
      keys: {
        privateKey: pair.privateKey.pem,
        certificate: pair.certificate.pem,
        keyAlgorithm: 'ECDSA',
      },
    });
    expect(
      await (await dialog.getHarness(MatButtonHarness.with({ text: 'Cancel' }))).isDisabled(),
    ).toBeTrue();
    req.flush({ ok: true });
    expect(await result).toEqual({ imported: true, certificate: pair.certificate.pem });
    http.verify();
  });

  it('a certificate with no expiry date (99991231235959Z): says so, in no year and no zone', async () => {
    // East of UTC its end falls on 1 January 10000.
    sessionStorage.setItem('joc-keys.session', JSON.stringify({ token: 't', account: 'alice' }));
    localStorage.setItem('joc-keys.preferences.alice', JSON.stringify({ timeZone: 'Asia/Tokyo' }));
    try {
      const { dialog, add, importButton } = await open();
      await add(
        file('noexpiry.key', atob(FIXTURES['noexpiry.pkcs8.pem'])),
        file('noexpiry.crt', atob(FIXTURES['noexpiry.crt.pem'])),
      );
      await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
      const text = await dialog.getContentText();
      expect(text).toContain('Certificate for CN=noexpiry,OU=JOC,O=JS7, no expiry date');
      expect(text).toMatch(/self-signed, valid from \d{4}-\d\d-\d\d, no expiry date/);
      expect(text).not.toMatch(/9999|10000/);
    } finally {
      sessionStorage.removeItem('joc-keys.session');
      localStorage.removeItem('joc-keys.preferences.alice');
    }
  });

  it('a file with the CA certificate first: stores the key’s own certificate, and says the CA is not stored', async () => {
    const { ca, pair } = await issuedBy('CN=Import CA', 'CN=signer');
    const { dialog, add, importButton, http, result } = await open();
    await add(file('chain.pem', pair.privateKey.pem + ca.certificate.pem + pair.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    // A file, not pasted text: the note says where the certificate left out was given.
    expect(await dialog.getContentText()).toContain(
      'Only the certificate CN=signer is stored, not the other certificate in the file:',
    );
    // "What will be stored" lists the key and its own certificate, not the CA.
    const preview = document.querySelector('mat-dialog-container section.preview')!.textContent!;
    expect(preview).toContain('Certificate for CN=signer, issued by CN=Import CA');
    expect(preview).not.toContain('Certificate for CN=Import CA');
    await (await importButton()).click();
    const req = await next(http);
    expect((req.request.body as { keys: { certificate: string } }).keys.certificate).toBe(
      pair.certificate.pem,
    );
    req.flush({ ok: true });
    expect(await result).toEqual({ imported: true, certificate: pair.certificate.pem });
  });

  it('says the CA certificates left out were in the files when several files gave them', async () => {
    const [{ ca, pair }, other] = await Promise.all([
      issuedBy('CN=Import CA', 'CN=signer'),
      issuedBy('CN=Other CA', 'CN=other'),
    ]);
    const { dialog, add, importButton } = await open();
    await add(
      file('signer.pem', pair.privateKey.pem + pair.certificate.pem),
      file('ca.pem', ca.certificate.pem),
      file('other-ca.pem', other.ca.certificate.pem),
    );
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    const text = await dialog.getContentText();
    expect(text).toContain(
      'Only the certificate CN=signer is stored, not the 2 other certificates in the files:',
    );
    expect(text).not.toContain('in the text');
  });

  for (const replyFirst of [false, true])
    it(`a keystore beside the CA’s reply${replyFirst ? ', reply first' : ''}: stores the certificate the CA issued`, async () => {
      const keystore = file(
        'keystore.pem',
        atob(FIXTURES['leaf.pkcs8.pem']) + atob(FIXTURES['leaf.self.crt.pem']),
      );
      const reply = atob(FIXTURES['leaf.crt.pem']);
      const { dialog, add, importButton, http } = await open();
      await add(
        ...(replyFirst
          ? [file('reply.pem', reply), keystore]
          : [keystore, file('reply.pem', reply)]),
      );
      await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
      const text = await dialog.getContentText();
      expect(text).toContain('Certificate for CN=leaf,OU=JOC,O=JS7, issued by CN=Fixture CA,O=JS7');
      expect(text).toContain(
        'One more certificate for this key was given. The one stored is issued by CN=Fixture CA,O=JS7',
      );
      // The placeholder is not a CA certificate: nothing says the CA's are left out.
      expect(text).not.toContain('is stored, not the other certificate');
      await (await importButton()).click();
      const req = await next(http);
      const sent = (req.request.body as { keys: { certificate: string } }).keys.certificate;
      expect(sent.replace(/\s/g, '')).toBe(reply.replace(/\s/g, ''));
      req.flush({ ok: true });
    });

  it('says nothing of CA certificates for another entry’s certificate', async () => {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const { dialog, add, importButton } = await open();
    await add(file('keystore.pem', a.privateKey.pem + a.certificate.pem + b.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    expect(await dialog.getContentText()).not.toContain('CA certificate');
  });

  it('reads one PEM bundle holding both', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton } = await open();
    await add(file('bundle.pem', pair.privateKey.pem + pair.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    expect(await dialog.getContentText()).toContain(
      'The private key and the certificate belong together.',
    );
  });

  it('says in the preview that the certificate expires within the warning threshold', async () => {
    const pair = await pairValidBetween(-300, untilEndOfDay(0));
    const { dialog, add, importButton } = await open();
    await add(file('bundle.pem', pair.privateKey.pem + pair.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    expect(await dialog.getContentText()).toContain('The certificate expires today, on ');
  });

  it('says what is missing, and what a file that is not a key is', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton } = await open();
    await add(file('notes.txt', 'hello, this is not a key'), file('root.key', pair.privateKey.pem));
    await until(
      async () => (await dialog.getContentText()).includes('The certificate is missing'),
      'missing message',
    );
    expect(await dialog.getContentText()).toContain('No PEM block was found');
    expect(await (await importButton()).isDisabled()).toBeTrue();
  });

  it('lets the file chooser show the files it has a message for, a Java KeyStore among them', async () => {
    const { dialog, add } = await open();
    // A chooser with an accept list hides every other file: these all get an answer here.
    const chooser = document.querySelector('app-import-key-dialog input[type="file"]')!;
    const listed = chooser.getAttribute('accept')!.split(',');
    for (const extension of ['.p8', '.pk8', '.p7b', '.csr', '.pub', '.jks', '.keystore'])
      expect(listed).withContext(extension).toContain(extension);
    const jks = Uint8Array.from(atob(FIXTURES['ca.jks']), (c) => c.charCodeAt(0));
    await add(new File([jks], 'truststore.jks'));
    await until(
      async () => (await dialog.getContentText()).includes('This is a Java KeyStore (JKS / JCEKS)'),
      'the Java KeyStore named',
    );
    // The command names the file chosen, so it can be run as it stands.
    expect(await dialog.getContentText()).toContain(
      'keytool -importkeystore -srckeystore truststore.jks -destkeystore truststore.p12 -deststoretype PKCS12',
    );
  });

  it('reads a PKCS#12 file without MAC or encryption at once: no password, no decryption', async () => {
    const { dialog, fixture: host, importButton } = await open();
    const el = document.querySelector('app-import-key-dialog')!;
    const component = (
      window as unknown as { ng: { getComponent(e: Element): ImportKeyDialog } }
    ).ng.getComponent(el);
    const p12 = Uint8Array.from(atob(FIXTURES['ec256.unprotected.p12']), (c) => c.charCodeAt(0));
    await component.add([new File([p12], 'unprotected.p12')]);
    // Read as it was added, not by a try with the empty password in a worker afterwards.
    const [added] = component['files']();
    expect(added.result.ok && added.result.value.map((i) => i.kind)).toEqual([
      'private-key',
      'certificate',
    ]);
    expect(component['decrypting']().size).toBe(0);
    await host.whenStable();
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    expect(await dialog.getContentText()).toContain('ECDSA P-256 private key, PKCS#12');
    expect(document.querySelector('form.password')).toBeNull();
  });

  it('says at once that a key encrypted with scrypt is not supported, naming the file; no password field', async () => {
    const { dialog, add, importButton } = await open();
    await add(file('signing.pem', atob(FIXTURES['ec256.scrypt.pem'])));
    await until(
      async () => (await dialog.getContentText()).includes('encrypted with scrypt'),
      'the scrypt message',
    );
    const text = await dialog.getContentText();
    expect(text).toContain(
      'This private key is encrypted with scrypt, which is not supported: re-encrypt it with PBKDF2 and AES, e.g. "openssl pkcs8 -topk8 -v2 aes-256-cbc -in signing.pem -out signing-aes.pem".',
    );
    expect(text).not.toContain('needs its passphrase');
    expect(document.querySelector('form.password')).toBeNull();
    expect(await (await importButton()).isDisabled()).toBeTrue();
  });

  it('a public key where the private key belongs: the file is named, with why', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton } = await open();
    await add(
      file('root.pub', atob(FIXTURES['ec256.pub.pem'])),
      file('root.crt', pair.certificate.pem),
    );
    await until(
      async () =>
        (await dialog.getContentText()).includes(
          'root.pub holds a public key, and a private key is needed',
        ),
      'the public key named',
    );
    expect(await (await importButton()).isDisabled()).toBeTrue();
  });

  it('a CSR where the certificate belongs: the file is named, with why', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton } = await open();
    await add(
      file('root.csr', atob(FIXTURES['ec256.csr.pem'])),
      file('root.key', pair.privateKey.pem),
    );
    await until(
      async () =>
        (await dialog.getContentText()).includes(
          'root.csr is a certificate signing request (CSR), not a certificate',
        ),
      'the CSR named',
    );
    expect(await (await importButton()).isDisabled()).toBeTrue();
  });

  it('asks for the password of a file not opened yet, not for another key file', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add } = await open();
    await add(file('signing.enc.pem', ENCRYPTED_KEY), file('root.crt', pair.certificate.pem));
    await until(
      async () => (await dialog.getContentText()).includes('needs its passphrase'),
      'the encrypted key listed',
    );
    const text = await dialog.getContentText();
    expect(text).toContain('signing.enc.pem is not read yet: open it with its password.');
    expect(text).not.toContain('add the key file');
  });

  it('labels the password field so that it fits, and names the file for screen readers', async () => {
    const { add } = await open();
    await add(file('signing-key-2026-production.p12.pem', ENCRYPTED_KEY));
    await until(() => !!document.querySelector('form.password label'), 'the password field');
    const label = document.querySelector<HTMLElement>('form.password label')!;
    const field = document.querySelector<HTMLElement>('form.password .mat-mdc-text-field-wrapper')!;
    expect(label.textContent?.trim()).toBe('Password');
    expect(document.querySelector('form.password input')?.getAttribute('aria-label')).toBe(
      'Password for signing-key-2026-production.p12.pem',
    );
    // The label is as wide as its text; the field around it cuts off what sticks out.
    expect(label.getBoundingClientRect().right)
      .withContext('the label sticks out of its field')
      .toBeLessThanOrEqual(field.getBoundingClientRect().right);
  });

  it('follows a language switch with files chosen: their list, the preview and the notes', async () => {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const { dialog, add, fixture } = await open();
    await add(
      file('a.key', a.privateKey.pem),
      file('b.key', b.privateKey.pem),
      file('a.crt', a.certificate.pem),
    );
    await until(
      async () => (await dialog.getContentText()).includes('belong together'),
      'the preview',
    );
    await useLanguage('de');
    await fixture.whenStable();
    const text = await dialog.getContentText();
    expect(await dialog.getTitleText()).toBe('Signaturschlüssel importieren');
    expect(text).toContain('Privater ECDSA P-256-Schlüssel, PKCS#8');
    expect(text).toContain('Zertifikat für CN=test,OU=JOC,O=JS7');
    expect(text).toContain(
      '2 private Schlüssel wurden gefunden; gespeichert wird der aus a.key, wie oben gewählt.',
    );
    expect(text).toContain('Zu speichernder privater Schlüssel');
    expect(text).toContain('Der private Schlüssel und das Zertifikat gehören zusammen.');
    expect(text).not.toContain('belong together');
    expect(await dialog.getHarness(MatButtonHarness.with({ text: 'Importieren' }))).toBeTruthy();
  });

  it('previews a mismatch and sends nothing', async () => {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const { dialog, add, importButton, http } = await open();
    await add(file('a.key', a.privateKey.pem), file('b.crt', b.certificate.pem));
    await until(
      async () => (await dialog.getContentText()).includes('does not belong to this private key'),
      'mismatch',
    );
    expect(await (await importButton()).isDisabled()).toBeTrue();
    http.verify();
  });

  it('shows the server refusal inside the dialog; nothing was stored, the dialog stays', async () => {
    const pair = await pairValidBetween(-1, 200);
    const { dialog, add, importButton, http, fixture } = await open();
    await add(file('bundle.pem', pair.privateKey.pem + pair.certificate.pem));
    await until(async () => !(await (await importButton()).isDisabled()), 'Import enabled');
    await (await importButton()).click();
    (await next(http)).flush(
      { error: { code: 'JOC-411', message: 'Certificate: refused for a reason.' } },
      { status: 420, statusText: 'x' },
    );
    await fixture.whenStable();
    await until(
      async () => (await dialog.getContentText()).includes('Certificate: refused for a reason.'),
      'server message',
    );
    expect(await dialog.getContentText()).not.toContain('was stored');
    expect(await (await importButton()).isDisabled()).toBeFalse();
    http.verify();
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

describe('combine: several keys in one keystore', () => {
  async function keystore() {
    const [a, b] = await Promise.all([pairValidBetween(-1, 200), pairValidBetween(-1, 200)]);
    const [ka, kb] = await Promise.all([
      readPrivateKey(a.privateKey.pem),
      readPrivateKey(b.privateKey.pem),
    ]);
    if (!ka.ok || !kb.ok) throw new Error('keys not read');
    const file: ImportedFile = {
      id: 1,
      name: 'kt-multi.p12',
      bytes: new Uint8Array(),
      password: 'changeit',
      result: {
        ok: true,
        warnings: [],
        value: [
          { kind: 'private-key', key: ka.value, alias: 'zeta' },
          { kind: 'private-key', key: kb.value, alias: 'alpha' },
          { kind: 'certificate', certificate: b.certificate },
        ],
      },
    };
    return { file, ka: ka.value, kb: kb.value, b };
  }

  it('offers each key, uses the first until another is chosen, and names the entry used', async () => {
    const { file, ka, kb, b } = await keystore();
    const first = combine([file]);
    expect(first.key).toBe(ka);
    expect(first.keys.map((k) => [k.alias, k.file, k.certificate?.pem])).toEqual([
      ['zeta', 'kt-multi.p12', undefined],
      ['alpha', 'kt-multi.p12', b.certificate.pem],
    ]);
    expect(first.notes.map((n) => n.message)).toEqual([
      '2 private keys were found; the one in entry "zeta" of kt-multi.p12 is stored, as chosen above.',
    ]);
    expect(first.notes[0].code).toBe('sig.import.chosenKeyEntry');
    const second = combine([file], first.keys[1].id);
    expect(second.key).toBe(kb);
    expect(second.notes[0].params).toEqual({ count: 2, file: 'kt-multi.p12', alias: 'alpha' });
    // A choice no longer among the keys: the first.
    expect(combine([file], 'gone').key).toBe(ka);
  });
});
