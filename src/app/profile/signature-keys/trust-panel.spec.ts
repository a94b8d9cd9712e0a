import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { generateCa, generateSigningPair, type GeneratedPair } from '../../../pki';
import { caValidBetween, fixtureText, pairValidBetween, untilEndOfDay } from '../../../pki/testing';
import { Preferences } from '../../core/session/preferences';
import { testProviders } from '../key-tab/testing';
import { TrustPanel } from './trust-panel';
import { commonName, trustFileName, trustOf, type Trust } from './trust';
import type { Certificate } from '../../../pki/types';

const DAY = 86_400_000;

@Component({
  imports: [TrustPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<app-trust-panel [trust]="trust()" />`,
})
class Host {
  readonly trust = signal<Trust>({ kind: 'none' });
}

async function ca(dn: string, untilDays = 1800) {
  const made = await generateCa({ dn, notAfter: new Date(Date.now() + untilDays * DAY) });
  if (!made.ok) throw new Error(made.message);
  // As /profile/ca answers it (with CRLF, to prove the download keeps the server's bytes).
  return {
    made: made.value,
    answer: {
      privateKey: made.value.privateKey.pem,
      certificate: made.value.certificate.pem.replace(/\n/g, '\r\n'),
      keyAlgorithm: 'ECDSA',
      keyType: 'CA' as const,
    },
  };
}

async function signing(
  dn: string,
  issuer?: { privateKey: string; certificate: string },
  untilDays = 365,
) {
  const made = await generateSigningPair({
    algorithm: 'ECDSA',
    dn,
    notAfter: new Date(Date.now() + untilDays * DAY),
    issuer,
  });
  if (!made.ok) throw new Error(made.message);
  return {
    privateKey: made.value.privateKey.pem,
    certificate: made.value.certificate.pem,
    keyAlgorithm: 'ECDSA',
  };
}

describe('trustOf', () => {
  it('reads the CN of a subject, with escaped commas', () => {
    expect(commonName('CN=JS7 CA,O=SOS')).toBe('JS7 CA');
    expect(commonName('O=SOS,CN=Doe\\, John')).toBe('Doe, John');
    expect(commonName('O=SOS')).toBeUndefined();
  });

  it('names the trust file after the CN in any script, with no double dot and no collision', () => {
    const fingerprint = (first: string) => `${first}:` + '00:'.repeat(30) + '00';
    const name = (subject: string, fp = fingerprint('AB:CD:EF:01:23:45:67:89')) =>
      trustFileName({ subject, fingerprintSha256: fp } as Certificate);
    // Letters of every script stay; a comma and a space are one "_"; no "..pem".
    expect(name('CN=Big Serial Ünïcödé Tëst\\, Inc.')).toBe('Big_Serial_Ünïcödé_Tëst_Inc.pem');
    expect(name('CN=Ünïcödé'.normalize('NFD'))).toBe('Ünïcödé.pem');
    expect(name('CN=署名用認証局,O=SOS')).toBe('署名用認証局.pem');
    expect(name('CN=テスト認証局')).toBe('テスト認証局.pem');
    expect(name('CN=Шифр ЦС')).toBe('Шифр_ЦС.pem');
    expect(name('CN=example.com')).toBe('example.com.pem');
    expect(name('CN=..hidden..')).toBe('hidden.pem');
    expect(name('CN=J. Smith')).toBe('J_Smith.pem');
    expect(name('CN=No Well-Defined Expiry')).toBe('No_Well-Defined_Expiry.pem');
    // Little or nothing of the CN left: the fingerprint tells two such CAs apart.
    expect(name('CN=★★')).toBe('ABCDEF0123456789.pem');
    expect(name('CN=★★', fingerprint('12:34:56:78:9A:BC:DE:F0'))).toBe('123456789ABCDEF0.pem');
    expect(name('CN=A ★★★★')).toBe('A_ABCDEF0123456789.pem');
    expect(name('O=SOS')).toBe('ABCDEF0123456789.pem');
    // A Windows device name is no file name there, with any extension.
    expect(name('CN=CON')).toBe('CON_ABCDEF0123456789.pem');
    // Windows reads the part before the first dot: the fingerprint goes there.
    expect(name('CN=aux.example')).toBe('aux_ABCDEF0123456789.example.pem');
    // Cut to 64: two CNs alike in their first 64 characters get names of their own.
    expect(name('CN=' + 'x'.repeat(200))).toBe('x'.repeat(64) + '_ABCDEF0123456789.pem');
    for (const cn of ['a. .b', '-_.a._-', 'a , . b', '::', '. .']) {
      const file = name(`CN=${cn}`);
      expect(file).toMatch(/^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}._-]*\.pem$/u);
      expect(file).not.toMatch(/[._-]{2}/);
    }
  });

  it('a self-signed certificate is its own trust anchor', async () => {
    const pair = await signing('CN=root,OU=JOC,O=JS7');
    const trust = await trustOf(pair, {}, new Date(), 60);
    expect(trust.kind).toBe('self-signed');
    if (trust.kind !== 'self-signed') return;
    expect(trust.fileName).toBe('root.pem');
    expect(trust.chain.length).toBe(1);
  });

  it('a certificate issued by the SSL CA needs the CA certificate, as /profile/ca returned it', async () => {
    const { made, answer } = await ca('CN=JS7 CA,O=JS7');
    const pair = await signing('CN=root', {
      privateKey: made.privateKey.pem,
      certificate: made.certificate.pem,
    });
    const trust = await trustOf(pair, answer, new Date(), 60);
    expect(trust.kind).toBe('issued');
    if (trust.kind !== 'issued') return;
    expect(trust.source).toBe('ssl-ca');
    expect(trust.pem).toBe(answer.certificate);
    expect(trust.fileName).toBe('JS7_CA.pem');
    expect(trust.chain.map((l) => [l.role, l.certificate.subject, l.status.kind])).toEqual([
      ['certificate', 'CN=root', 'valid'],
      ['issuer', 'CN=JS7 CA,O=JS7', 'valid'],
    ]);
  });

  it('an imported certificate from a foreign CA: the issuer is missing', async () => {
    const foreign = await ca('CN=Foreign CA');
    const other = await ca('CN=JS7 CA');
    const pair = await signing('CN=root', {
      privateKey: foreign.made.privateKey.pem,
      certificate: foreign.made.certificate.pem,
    });
    const trust = await trustOf(pair, other.answer, new Date(), 60);
    // Only the Controllers can tell: not a refusal.
    expect(trust).toEqual(jasmine.objectContaining({ kind: 'issuer-missing', refused: false }));
    expect(trust.kind === 'issuer-missing' && trust.verdict.code).toBe('readyIssuerElsewhere');
  });

  it('the SSL CA replaced under the same name: Controllers refuse the certificate', async () => {
    const old = await ca('CN=JS7 CA');
    const replaced = await ca('CN=JS7 CA');
    const pair = await signing('CN=root', {
      privateKey: old.made.privateKey.pem,
      certificate: old.made.certificate.pem,
    });
    const trust = await trustOf(pair, replaced.answer, new Date(), 60);
    expect(trust).toEqual(jasmine.objectContaining({ kind: 'issuer-missing', refused: true }));
    expect(trust.kind === 'issuer-missing' && trust.verdict.code).toBe('readySslCaReplaced');
  });
});

describe('TrustPanel', () => {
  async function render(trust: Trust) {
    TestBed.configureTestingModule({ providers: testProviders() });
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.trust.set(trust);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('names the CA certificate, offers it as trusted-x509-keys/<CN>.pem with the exact bytes, and says where it goes', async () => {
    const { made, answer } = await ca('CN=JS7 CA,O=JS7');
    const pair = await signing('CN=root', {
      privateKey: made.privateKey.pem,
      certificate: made.certificate.pem,
    });
    const element = await render(await trustOf(pair, answer, new Date(), 60));
    expect(element.textContent).toContain('issued by CN=JS7 CA,O=JS7 (the SSL CA)');
    expect(element.textContent).toContain(
      'Copy this file into ./config/private/trusted-x509-keys/ of every Controller and Agent.',
    );
    const blobs: Blob[] = [];
    spyOn(URL, 'createObjectURL').and.callFake((blob: Blob | MediaSource) => {
      blobs.push(blob as Blob);
      return 'blob:x';
    });
    let name = '';
    spyOn(HTMLAnchorElement.prototype, 'click').and.callFake(function (this: HTMLAnchorElement) {
      name = this.download;
    });
    const button = Array.from(element.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Download'),
    )!;
    expect(button.textContent).toContain('Download trusted-x509-keys/JS7_CA.pem');
    button.click();
    expect(name).toBe('JS7_CA.pem');
    expect(new Uint8Array(await blobs[0].arrayBuffer())).toEqual(
      new TextEncoder().encode(answer.certificate),
    );
  });

  it('for a self-signed certificate, says to copy the certificate itself', async () => {
    const element = await render(
      await trustOf(await signing('CN=root,OU=JOC,O=JS7'), {}, new Date(), 60),
    );
    expect(element.textContent).toContain(
      'The certificate is self-signed: every Controller and Agent must hold this certificate itself.',
    );
    expect(element.textContent).toContain('Download trusted-x509-keys/root.pem');
  });

  it("maps JS7's messages for a refused signature to the file that fixes it", async () => {
    const items = (element: HTMLElement) =>
      Array.from(element.querySelectorAll('details.failed li')).map((li) => li.textContent?.trim());
    // Self-signed: JOC names the signer by its subject.
    const self = await render(
      await trustOf(await signing('CN=root,OU=JOC,O=JS7'), {}, new Date(), 60),
    );
    expect(self.querySelector('details.failed summary')?.textContent?.trim()).toBe(
      'A deployment failed with one of these messages?',
    );
    expect(items(self)).toEqual([
      "“The signature's SignerId is unknown: CN=root,OU=JOC,O=JS7”: the Controller or Agent that says so holds no certificate with this subject. Copy trusted-x509-keys/root.pem to it.",
      '“The message does not match its signature”: it holds an older certificate with the same subject, of another key. Replace that file with trusted-x509-keys/root.pem.',
    ]);
    TestBed.resetTestingModule();
    // CA-issued: JOC sends the certificate, which a trusted CA must have issued.
    const { made, answer } = await ca('CN=JS7 CA,O=JS7');
    const pair = await signing('CN=root', {
      privateKey: made.privateKey.pem,
      certificate: made.certificate.pem,
    });
    const issued = await render(await trustOf(pair, answer, new Date(), 60));
    expect(items(issued)).toEqual([
      "“The message is signed with an unknown key”: it holds no CA certificate that issued this key's certificate. Copy trusted-x509-keys/JS7_CA.pem to it.",
    ]);
  });

  it('a certificate ending within a day: its moment, once, and no "expired" advice', async () => {
    const pair = await signing('CN=root,OU=JOC,O=JS7', undefined, 0.5);
    const element = await render(await trustOf(pair, {}, new Date(), 60));
    const status = element.querySelector('.anchor-status')?.textContent ?? '';
    expect(status).toMatch(/Expires (today|tomorrow), at \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(status).not.toContain('(until');
    expect(element.textContent).not.toContain('has expired');
  });

  it('draws the fingerprint in pairs that keep their colon, so that a line never breaks inside one', async () => {
    const pair = await signing('CN=root,OU=JOC,O=JS7');
    const trust = await trustOf(pair, {}, new Date(), 60);
    if (trust.kind !== 'self-signed') throw new Error(trust.kind);
    const element = await render(trust);
    const line = element.querySelector<HTMLElement>('p.fingerprint')!;
    expect(line.textContent!.replace(/\s+/g, ' ').trim()).toBe(
      `SHA-256 fingerprint: ${trust.anchor.fingerprintSha256}`,
    );
    const pairs = Array.from(line.querySelectorAll('span'));
    expect(pairs.length).toBe(32);
    for (const [i, span] of pairs.entries()) {
      expect(span.textContent).toMatch(i < 31 ? /^[0-9A-F]{2}:$/ : /^[0-9A-F]{2}$/);
      expect(getComputedStyle(span).display).toBe('inline-block');
    }
  });

  it('a certificate with no expiry date (99991231235959Z): says so, in no year and no zone', async () => {
    const pair = {
      privateKey: fixtureText('noexpiry.pkcs8.pem'),
      certificate: fixtureText('noexpiry.crt.pem'),
      keyAlgorithm: 'ECDSA',
    };
    const element = await render(await trustOf(pair, {}, new Date(), 3650));
    const status = element.querySelector('.anchor-status')!.textContent!.replace(/\s+/g, ' ');
    expect(status).toContain('The certificate: Valid (no expiry date)');
    expect(status).not.toMatch(/9999|10000/);
  });

  it("gives the fingerprint as the Controllers' log writes it (SHA-1, groups of four bytes)", async () => {
    const pair = {
      privateKey: fixtureText('noexpiry.pkcs8.pem'),
      certificate: fixtureText('noexpiry.crt.pem'),
      keyAlgorithm: 'ECDSA',
    };
    const element = await render(await trustOf(pair, {}, new Date(), 60));
    // openssl x509 -noout -fingerprint -sha1: 03:10:43:8B:62:28:60:F7:9B:AF:D0:80:F0:12:F3:6E:13:75:0E:E1
    expect(element.querySelector('.js7-fingerprint')?.textContent?.trim()).toBe(
      'As Controllers and Agents log it: fingerprint=0310438b 622860f7 9bafd080 f012f36e 13750ee1',
    );
  });

  it('names an expiring CA certificate in the panel', async () => {
    const { made, answer } = await ca('CN=Old CA', 20);
    const pair = await signing(
      'CN=root',
      { privateKey: made.privateKey.pem, certificate: made.certificate.pem },
      10,
    );
    const element = await render(await trustOf(pair, answer, new Date(), 60));
    expect(element.querySelector('.anchor-status')?.textContent).toMatch(/Expires in (19|20) days/);
  });

  it('a foreign CA not stored here: names it and its folder, as information, not an alarm', async () => {
    const foreign = await ca('CN=Foreign CA');
    const pair = await signing('CN=root', {
      privateKey: foreign.made.privateKey.pem,
      certificate: foreign.made.certificate.pem,
    });
    const element = await render(await trustOf(pair, {}, new Date(), 60));
    expect(element.querySelector('[role=alert]')).toBeNull();
    const text = element.querySelector('.elsewhere')?.textContent?.replace(/\s+/g, ' ');
    expect(text).toContain(
      'The CA certificate of "CN=Foreign CA" is not stored here (it is not the SSL CA), so only the Controllers can check it',
    );
    expect(text).toContain(
      'Folder on each Controller and Agent: ./config/private/trusted-x509-keys',
    );
    // No advice to store the CA with the certificate: Controllers read one certificate.
    expect(element.textContent).not.toContain('together with');
    expect(element.querySelector('button')).toBeNull();
  });

  it('the SSL CA replaced: says why Controllers refuse it and what to do', async () => {
    const old = await ca('CN=JS7 CA');
    const replaced = await ca('CN=JS7 CA');
    const pair = await signing('CN=root', {
      privateKey: old.made.privateKey.pem,
      certificate: old.made.certificate.pem,
    });
    const element = await render(await trustOf(pair, replaced.answer, new Date(), 60));
    expect(element.querySelector('[role=alert]')?.textContent).toContain(
      'The SSL CA "CN=JS7 CA" did not sign this certificate: the CA was replaced after the certificate was issued',
    );
    expect(element.querySelector('.todo')?.textContent?.replace(/\s+/g, ' ')).toContain(
      'What to do: generate a new key with the SSL CA, and make sure every Controller and Agent holds',
    );
    expect(element.querySelector('button')).toBeNull();
  });

  describe('when a certificate on the way has expired or ends soon', () => {
    /** An SSL CA valid from 500 days ago for five years, as made, and as /profile/ca answers it. */
    async function longCa(): Promise<GeneratedPair> {
      const made = await generateCa({
        dn: 'CN=Short CA,O=JS7',
        now: new Date(Date.now() - 500 * DAY),
        notAfter: new Date(Date.now() + 1800 * DAY),
      });
      if (!made.ok) throw new Error(made.message);
      return made.value;
    }
    const answerOf = (made: GeneratedPair) => ({
      privateKey: made.privateKey.pem,
      certificate: made.certificate.pem,
      keyAlgorithm: 'ECDSA',
    });
    const issuerOf = (ca: GeneratedPair) => ({
      privateKey: ca.privateKey.pem,
      certificate: ca.certificate.pem,
    });
    /** The panel's words as a person reads them (its icons' names left out). */
    const words = (element: Element | null | undefined) => {
      const copy = element?.cloneNode(true) as HTMLElement | undefined;
      copy?.querySelectorAll('mat-icon').forEach((icon) => icon.remove());
      return (copy?.textContent ?? '').replace(/\s+/g, ' ').trim();
    };
    const shield = (element: HTMLElement) => element.querySelector('.what mat-icon')?.textContent;
    const download = (element: HTMLElement) =>
      Array.from(element.querySelectorAll('button')).find((b) =>
        b.textContent?.includes('Download'),
      );

    it('an expired SSL CA: no green shield, no file to copy, and what is needed instead', async () => {
      const ca = await longCa();
      const pair = answerOf(
        await pairValidBetween(-1, 365, { dn: 'CN=root', issuer: issuerOf(ca) }),
      );
      const expired = await caValidBetween(ca, -500, -1);
      const element = await render(
        await trustOf(pair, { ...answerOf(expired), keyType: 'CA' }, new Date(), 60),
      );
      expect(shield(element)).toBe('gpp_bad');
      expect(element.querySelector('.what')?.classList).toContain('error');
      // It names the CA, but no longer as what Controllers must hold.
      expect(words(element.querySelector('.what'))).toBe(
        'The certificate was issued by CN=Short CA,O=JS7 (the SSL CA).',
      );
      // JS7 2.8.2 and later accept expired certificates unless told otherwise: the file stays.
      expect(download(element)?.textContent).toContain('Download trusted-x509-keys/Short_CA.pem');
      expect(words(element.querySelector('[role=alert]'))).toBe(
        'This CA certificate has expired: Controllers and Agents that check certificate dates (JS7 before 2.8.2 always; later versions with js7.configuration.allow-expired-certificates = no, as SOS recommends) no longer trust what this key signs.',
      );
      const todo = element.querySelector('.todo');
      expect(words(todo)).toBe(
        'What to do: a new CA and a new key certified by it are needed. Renew the CA in SSL Key Management, then generate a new key with "Use SSL CA", and copy the new CA certificate into ./config/private/trusted-x509-keys/ of every Controller and Agent.',
      );
      expect(todo?.querySelector('a')?.getAttribute('href')).toBe('/profile/ssl-keys');
      expect(todo?.querySelector('code')?.textContent).toBe('./config/private/trusted-x509-keys/');
    });

    it('a CA from the stored chain that has expired: has it renewed, no link to the SSL CA', async () => {
      const ca = await longCa();
      const leaf = await pairValidBetween(-1, 365, { dn: 'CN=root', issuer: issuerOf(ca) });
      const expired = await caValidBetween(ca, -500, -1);
      const pair = {
        ...answerOf(leaf),
        certificate: leaf.certificate.pem + expired.certificate.pem,
      };
      const element = await render(await trustOf(pair, {}, new Date(), 60));
      expect(shield(element)).toBe('gpp_bad');
      expect(words(element.querySelector('.todo'))).toContain(
        'Have the CA renewed, then store a new key with a certificate it issued, and copy the new CA certificate into',
      );
      expect(element.querySelector('.todo a')).toBeNull();
    });

    it('an expired self-signed certificate: who refuses it, that a new key is needed; its file stays', async () => {
      const pair = answerOf(await pairValidBetween(-400, -1, { dn: 'CN=root,OU=JOC,O=JS7' }));
      const element = await render(await trustOf(pair, {}, new Date(), 60));
      expect(shield(element)).toBe('gpp_bad');
      expect(words(element.querySelector('[role=alert]'))).toBe(
        'This certificate has expired: Controllers and Agents that check certificate dates (JS7 before 2.8.2 always; later versions with js7.configuration.allow-expired-certificates = no, as SOS recommends) refuse what this key signs. What to do: generate a new key, then copy its certificate into ./config/private/trusted-x509-keys/ of every Controller and Agent.',
      );
      // JS7 2.8.2 and later accept expired certificates unless told otherwise; the file is for them.
      expect(download(element)?.textContent).toContain('Download trusted-x509-keys/root.pem');
      expect(words(element.querySelector('.instruction'))).toBe(
        'Until then, Controllers and Agents that accept expired certificates (JS7 2.8.2 and later by default) accept what this key signs with this file in ./config/private/trusted-x509-keys/.',
      );
      expect(element.textContent).not.toContain('Copy this file into');
    });

    it('an expired certificate\'s status names its end once, not again as "until"', async () => {
      const made = await pairValidBetween(-400, -1, { dn: 'CN=root,OU=JOC,O=JS7' });
      const element = await render(await trustOf(answerOf(made), {}, new Date(), 60));
      const date = TestBed.inject(Preferences).date(made.certificate.notAfter);
      expect(words(element.querySelector('.anchor-status'))).toBe(
        `The certificate: Expired on ${date}`,
      );
    });

    it('a certificate not valid yet: a red shield, as the banner and the readiness line', async () => {
      const pair = answerOf(await pairValidBetween(2, 365, { dn: 'CN=root,OU=JOC,O=JS7' }));
      const element = await render(await trustOf(pair, {}, new Date(), 60));
      expect(shield(element)).toBe('gpp_bad');
      expect(element.querySelector('.what')?.classList).toContain('error');
    });

    it('an SSL CA ending within the threshold: an amber shield, the file, and what to do before then', async () => {
      const ca = await longCa();
      const pair = answerOf(
        await pairValidBetween(-1, 365, { dn: 'CN=root', issuer: issuerOf(ca) }),
      );
      const ending = await caValidBetween(ca, -500, untilEndOfDay(20));
      const element = await render(
        await trustOf(pair, { ...answerOf(ending), keyType: 'CA' }, new Date(), 60),
      );
      const date = TestBed.inject(Preferences).date(ending.certificate.notAfter);
      expect(shield(element)).toBe('gpp_maybe');
      expect(words(element.querySelector('.what'))).toBe(
        'The certificate was issued by CN=Short CA,O=JS7 (the SSL CA): every Controller and Agent must hold this CA certificate.',
      );
      expect(download(element)?.textContent).toContain('Download trusted-x509-keys/Short_CA.pem');
      expect(words(element.querySelector('.expiring'))).toBe(
        `Once the CA ends, Controllers and Agents no longer trust what this key signs. Before ${date}, renew the CA in SSL Key Management, generate a new key with "Use SSL CA" and copy the new CA certificate to every Controller and Agent.`,
      );
      expect(element.querySelector('[role=alert]')).toBeNull();
    });

    it('an expired certificate under a valid CA: a red shield, and the CA file is still the one to hold', async () => {
      const ca = await longCa();
      const pair = answerOf(
        await pairValidBetween(-400, -1, { dn: 'CN=root', issuer: issuerOf(ca) }),
      );
      const element = await render(
        await trustOf(pair, { ...answerOf(ca), keyType: 'CA' }, new Date(), 60),
      );
      expect(shield(element)).toBe('gpp_bad');
      expect(download(element)?.textContent).toContain('Download trusted-x509-keys/Short_CA.pem');
    });

    it('every certificate valid beyond the threshold: the green shield', async () => {
      const ca = await longCa();
      const pair = answerOf(
        await pairValidBetween(-1, 365, { dn: 'CN=root', issuer: issuerOf(ca) }),
      );
      const element = await render(
        await trustOf(pair, { ...answerOf(ca), keyType: 'CA' }, new Date(), 60),
      );
      expect(shield(element)).toBe('verified_user');
      expect(element.querySelector('.what')?.classList).toContain('ok');
    });
  });
});
