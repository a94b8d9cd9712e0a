/**
 * The audit block of every write: validated, and required to carry a comment when
 * `forceCommentsForAuditLog` is on (JOC-300, before anything is read or written).
 */
import type { AuditParams } from '../../../src/contract';
import { readCertificate } from '../../../src/pki';
import { invalid } from '../http/errors';

/** Returns the audit parameters to record, or throws JOC-300 when a comment is required but missing. */
export function auditParams(params: AuditParams | undefined, forceComments: boolean): AuditParams {
  const comment = params?.comment?.trim();
  if (forceComments && !comment) {
    throw invalid(
      'JOC-300',
      'A comment is required for the audit log: say why you are making this change (auditLog.comment).',
    );
  }
  return {
    ...(comment ? { comment } : {}),
    ...(params?.timeSpent !== undefined ? { timeSpent: params.timeSpent } : {}),
    ...(params?.ticketLink?.trim() ? { ticketLink: params.ticketLink.trim() } : {}),
  };
}

/** What the audit log records of the certificate a change leaves in place: never the key. */
export async function auditedCertificate(
  pem: string | undefined,
): Promise<{ subject: string; fingerprint: string } | undefined> {
  if (!pem) return undefined;
  const certificate = await readCertificate(pem);
  return certificate.ok
    ? { subject: certificate.value.subject, fingerprint: certificate.value.fingerprintSha256 }
    : undefined;
}
