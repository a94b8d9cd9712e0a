import type { JocKeyPair, JocKeyPairAnswer } from '../../../contract';
import { changeCheck } from './change-check';
import { DialogRequest } from './dialog-request';

const pair = (certificate: string): JocKeyPair => ({
  keyAlgorithm: 'ECDSA',
  privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
  certificate,
});

describe('changeCheck', () => {
  const first = pair('-----BEGIN CERTIFICATE-----\nFIRST\n-----END CERTIFICATE-----');
  const second = pair('-----BEGIN CERTIFICATE-----\nSECOND\n-----END CERTIFICATE-----');

  it('lets the write go on while the stored key is the one the dialog opened on', async () => {
    // The same pair read again, with other line breaks (PEM as another server writes it).
    const again: JocKeyPair = { ...first, certificate: first.certificate!.replace(/\n/g, '\r\n') };
    expect(await changeCheck(first, async () => again)()).toBeUndefined();
    expect(await changeCheck({}, async () => ({}))()).toBeUndefined();
  });

  it('says what another session did, on every press: the dialog never writes over it', async () => {
    let stored: JocKeyPairAnswer = second;
    const check = changeCheck(first, async () => stored);
    expect((await check())?.code).toBe('keys.changed.replaced');
    expect((await check())?.code).toBe('keys.changed.replaced');
    stored = {};
    expect((await check())?.code).toBe('keys.changed.deleted');
    expect((await changeCheck({}, async () => first)())?.code).toBe('keys.changed.stored');
    // Changed back meanwhile: the key is the one the dialog names again.
    stored = first;
    expect(await check()).toBeUndefined();
  });

  it('a read that fails leaves the verdict to the write', async () => {
    expect(await changeCheck(first, async () => undefined)()).toBeUndefined();
  });

  it('DialogRequest shows the change instead of writing', async () => {
    const request = new DialogRequest({ disableClose: false });
    const write = jasmine.createSpy('write').and.resolveTo({ ok: true, value: 'written' });
    const check = changeCheck(first, async () => second);
    expect(await request.run(write, check)).toBeUndefined();
    expect(write).not.toHaveBeenCalled();
    expect(request.error()?.reason?.code).toBe('keys.changed.replaced');
    expect(await request.run(write, check)).toBeUndefined();
    expect(write).not.toHaveBeenCalled();
  });
});
