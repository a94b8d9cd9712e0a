import type { AuditedChange, AuditLogItem, JocSecurityLevel } from '../../../contract';

/** Which key's history: the signing key (Signature tab) or the SSL CA (SSL tab). */
export type HistoryKind = 'key' | 'ca';

/** One change as the History panel shows it. */
export interface HistoryEntry {
  readonly id: number;
  readonly when: Date;
  readonly account: string;
  /** What was done, as a code the panel translates when it renders. */
  readonly change: HistoryChange;
  readonly comment?: string;
  /** Minutes, more than 0 (the panel writes "1 h 30 min" in the person's language). */
  readonly timeSpent?: number;
  /** The ticket link; `href` only when it is an http(s) URL, so a click never runs script. */
  readonly ticket?: { readonly text: string; readonly href?: string };
  readonly subject?: string;
  readonly fingerprint?: string;
}

/** The catalog key of each kind of change (history.json); imports count their `files`. */
export type HistoryMessage =
  | 'history.change.key.generated'
  | 'history.change.key.stored'
  | 'history.change.key.imported'
  | 'history.change.key.deleted'
  | 'history.change.ca.generated'
  | 'history.change.ca.stored'
  | 'history.change.ca.imported';

/** A change as a code: the message key, and for an import the number of files it took. */
export interface HistoryChange {
  readonly key: HistoryMessage;
  readonly files?: number;
}

const ACTIONS: Readonly<Record<string, { kind: HistoryKind; key: HistoryMessage }>> = {
  'profile/key/generate': { kind: 'key', key: 'history.change.key.generated' },
  'profile/key/store': { kind: 'key', key: 'history.change.key.stored' },
  'profile/key/import': { kind: 'key', key: 'history.change.key.imported' },
  'profile/key/delete': { kind: 'key', key: 'history.change.key.deleted' },
  'profile/ca/generate': { kind: 'ca', key: 'history.change.ca.generated' },
  'profile/ca/store': { kind: 'ca', key: 'history.change.ca.stored' },
  'profile/ca/import': { kind: 'ca', key: 'history.change.ca.imported' },
};

const imported = (change: HistoryChange) =>
  change.key === 'history.change.key.imported' || change.key === 'history.change.ca.imported';

/** "./profile/key/store" (JOC Cockpit), "/joc/api/profile/key/store" or "profile/key/store" → the last. */
export function requestPath(request: string): string {
  return request.replace(/^\.?\//, '').replace(/^joc\/api\//, '');
}

/**
 * The fields of `parameters` the panel may show. JOC Cockpit puts the request body there (which
 * can hold a private key): only these three named strings are ever read from it.
 */
function auditedChange(parameters: string | undefined): AuditedChange {
  if (!parameters) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(parameters);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as Record<string, unknown>;
  const text = (name: keyof AuditedChange) =>
    typeof record[name] === 'string' && record[name] ? { [name]: record[name] } : {};
  return { ...text('keyOwner'), ...text('subject'), ...text('fingerprint') };
}

function minutes(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) || value <= 0 ? undefined : value;
}

function ticket(link: string | undefined): HistoryEntry['ticket'] {
  const text = link?.trim();
  if (!text) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { text, href: url.href };
  } catch {
    // Not a URL (e.g. "JIRA-123"): shown as text.
  }
  return { text };
}

export interface HistoryScope {
  readonly kind: HistoryKind;
  /** Whose key the tab shows (the default profile account at LOW, the person at MEDIUM). */
  readonly owner: string;
  readonly level: JocSecurityLevel;
}

/**
 * The changes to the key the tab shows, newest first. The embedded server names the key's owner
 * in `parameters`; a real JOC Cockpit does not, so there at MEDIUM (every account changes only its
 * own key) the author must be the owner, and at LOW every change is to the default account's key.
 */
export function historyEntries(log: readonly AuditLogItem[], scope: HistoryScope): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const item of log) {
    const known = ACTIONS[requestPath(item.request)];
    if (!known || known.kind !== scope.kind) continue;
    const change = auditedChange(item.parameters);
    if (scope.kind === 'key') {
      const owner = change.keyOwner ?? (scope.level === 'MEDIUM' ? item.account : scope.owner);
      if (owner !== scope.owner) continue;
    }
    entries.push({
      id: item.id,
      when: new Date(item.created),
      account: item.account,
      change: { key: known.key },
      ...(item.comment ? { comment: item.comment } : {}),
      ...(minutes(item.timeSpent) ? { timeSpent: minutes(item.timeSpent) } : {}),
      ...(ticket(item.ticketLink) ? { ticket: ticket(item.ticketLink) } : {}),
      ...(change.subject ? { subject: change.subject } : {}),
      ...(change.fingerprint ? { fingerprint: change.fingerprint } : {}),
    });
  }
  entries.sort((a, b) => b.when.getTime() - a.when.getTime() || b.id - a.id);
  return mergeImports(entries);
}

/** Calls of one Import dialog are this close together; two imports by hand are further apart. */
const ONE_IMPORT_MS = 10_000;

/**
 * The Import dialog sends one call per file (as JOC Cockpit takes them), and a PKCS#12 file is sent
 * as its key and its certificate: each call is an audit entry. Entries of one import (same account,
 * reason and ticket, seconds apart) are shown as one line, with what the last call left in place.
 */
function mergeImports(entries: HistoryEntry[]): HistoryEntry[] {
  const merged: HistoryEntry[] = [];
  for (const entry of entries) {
    const newer = merged.at(-1);
    if (
      imported(entry.change) &&
      newer &&
      newer.change.key === entry.change.key &&
      newer.account === entry.account &&
      newer.comment === entry.comment &&
      newer.ticket?.text === entry.ticket?.text &&
      newer.when.getTime() - entry.when.getTime() <= ONE_IMPORT_MS
    ) {
      merged[merged.length - 1] = {
        ...newer,
        change: { key: newer.change.key, files: (newer.change.files ?? 1) + 1 },
      };
      continue;
    }
    merged.push(entry);
  }
  return merged;
}
