import type { AuditLogItem } from '../../../contract';
import { historyEntries, requestPath } from './history';

const item = (over: Partial<AuditLogItem> & { id: number; request: string }): AuditLogItem => ({
  account: 'root',
  created: `2026-11-0${over.id}T10:00:00Z`,
  category: 'CERTIFICATES',
  ...over,
});

describe('historyEntries', () => {
  it('reads the call as JOC Cockpit writes it and as our server does', () => {
    expect(requestPath('./profile/key/store')).toBe('profile/key/store');
    expect(requestPath('/joc/api/profile/key/store')).toBe('profile/key/store');
    expect(requestPath('profile/ca/import')).toBe('profile/ca/import');
  });

  it('lists the key changes newest first, with the reason, time, ticket and certificate', () => {
    const entries = historyEntries(
      [
        item({ id: 1, request: './profile/key/generate', comment: 'Key rotation', timeSpent: 90 }),
        item({
          id: 3,
          request: 'profile/key/store',
          ticketLink: 'https://tickets.example/7',
          parameters: JSON.stringify({
            keyOwner: 'root',
            subject: 'CN=root',
            fingerprint: 'AB:CD',
          }),
        }),
        item({ id: 2, request: './profile/ca/generate' }),
        item({ id: 4, request: './inventory/deploy' }),
      ],
      { kind: 'key', owner: 'root', level: 'LOW' },
    );
    expect(entries.map((e) => e.id)).toEqual([3, 1]);
    expect(entries[0]).toEqual(
      jasmine.objectContaining({
        change: { key: 'history.change.key.stored' },
        ticket: { text: 'https://tickets.example/7', href: 'https://tickets.example/7' },
        subject: 'CN=root',
        fingerprint: 'AB:CD',
      }),
    );
    expect(entries[1]).toEqual(
      jasmine.objectContaining({
        change: { key: 'history.change.key.generated' },
        comment: 'Key rotation',
        timeSpent: 90,
      }),
    );
  });

  it('shows only the CA changes on the SSL tab', () => {
    const entries = historyEntries(
      [
        item({ id: 1, request: './profile/key/generate' }),
        item({ id: 2, request: './profile/ca/import' }),
      ],
      { kind: 'ca', owner: '', level: 'LOW' },
    );
    expect(entries.map((e) => e.change)).toEqual([{ key: 'history.change.ca.imported' }]);
  });

  it("keeps to the tab's key: the owner named by our server, else the author at MEDIUM", () => {
    const log = [
      item({
        id: 1,
        request: 'profile/key/store',
        account: 'root',
        parameters: '{"keyOwner":"alice"}',
      }),
      item({
        id: 2,
        request: 'profile/key/store',
        account: 'alice',
        parameters: '{"keyOwner":"bob"}',
      }),
      item({ id: 3, request: './profile/key/store', account: 'alice' }),
      item({ id: 4, request: './profile/key/store', account: 'bob' }),
    ];
    expect(
      historyEntries(log, { kind: 'key', owner: 'alice', level: 'MEDIUM' }).map((e) => e.id),
    ).toEqual([3, 1]);
    expect(
      historyEntries(log, { kind: 'key', owner: 'root', level: 'LOW' }).map((e) => e.id),
    ).toEqual([4, 3]);
  });

  it('never reads key material from the parameters a real JOC Cockpit records', () => {
    const [entry] = historyEntries(
      [
        item({
          id: 1,
          request: './profile/key/store',
          parameters: JSON.stringify({
            keys: { privateKey: '-----BEGIN PRIVATE KEY-----\nMIG…', certificate: '…' },
            subject: { evil: true },
          }),
        }),
      ],
      { kind: 'key', owner: 'root', level: 'LOW' },
    );
    expect(JSON.stringify(entry)).not.toContain('PRIVATE');
    expect(entry.subject).toBeUndefined();
  });

  it('links a ticket only when it is an http(s) URL', () => {
    const ticketOf = (ticketLink: string) =>
      historyEntries([item({ id: 1, request: 'profile/key/delete', ticketLink })], {
        kind: 'key',
        owner: 'root',
        level: 'LOW',
      })[0].ticket;
    expect(ticketOf('javascript:alert(1)')).toEqual({ text: 'javascript:alert(1)' });
    expect(ticketOf('JIRA-12')).toEqual({ text: 'JIRA-12' });
    expect(ticketOf('http://t.example/1')?.href).toBe('http://t.example/1');
  });

  it('shows the calls of one import (a key file and a certificate file) as one line', () => {
    const at = (seconds: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, seconds)).toISOString();
    const entries = historyEntries(
      [
        item({ id: 1, request: './profile/key/import', created: at(0), comment: 'Renewal' }),
        item({
          id: 2,
          request: './profile/key/import',
          created: at(1),
          comment: 'Renewal',
          parameters: '{"subject":"CN=new","fingerprint":"AA"}',
        }),
        item({ id: 3, request: './profile/key/import', created: at(40), comment: 'Renewal' }),
        item({ id: 4, request: './profile/key/import', created: at(41), comment: 'Other' }),
      ],
      { kind: 'key', owner: 'root', level: 'LOW' },
    );
    expect(entries.map((e) => [e.id, e.change])).toEqual([
      [4, { key: 'history.change.key.imported' }],
      [3, { key: 'history.change.key.imported' }],
      [2, { key: 'history.change.key.imported', files: 2 }],
    ]);
    expect(entries[2].subject).toBe('CN=new');
  });
});
