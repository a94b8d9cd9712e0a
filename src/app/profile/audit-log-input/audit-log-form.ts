import type {
  AbstractControl,
  FormControl,
  FormGroup,
  NonNullableFormBuilder,
  ValidationErrors,
} from '@angular/forms';
import { Validators } from '@angular/forms';
import type { AuditParams } from '../../../contract';

/** When the Audit block appears in a writing dialog, and what it offers. */
export interface AuditSettings {
  /** The block is shown (the server forces comments, or the person chose it in Preferences). */
  readonly show: boolean;
  /** A reason is required (`forceCommentsForAuditLog`). */
  readonly required: boolean;
  /** Predefined reasons (`comments` of /joc/properties). */
  readonly comments: readonly string[];
}

export type AuditLogGroup = FormGroup<{
  comment: FormControl<string>;
  timeSpent: FormControl<string>;
  ticketLink: FormControl<string>;
}>;

/** JOC refuses `<` and `>` in audit texts. */
export function noAngleBracketsValidator(
  control: AbstractControl<string>,
): ValidationErrors | null {
  return /[<>]/.test(control.value ?? '') ? { angleBrackets: true } : null;
}

/** Minutes: empty, or a whole number 0 or more. */
export function minutesValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = String(control.value ?? '').trim();
  return value === '' || /^\d{1,6}$/.test(value) ? null : { minutes: true };
}

/** The Audit block's form; the reason is required when the server forces comments. */
export function auditLogForm(fb: NonNullableFormBuilder, settings: AuditSettings): AuditLogGroup {
  const comment = [Validators.maxLength(255), noAngleBracketsValidator];
  return fb.group({
    comment: ['', settings.show && settings.required ? [Validators.required, ...comment] : comment],
    timeSpent: ['', minutesValidator],
    ticketLink: ['', [Validators.maxLength(255), noAngleBracketsValidator]],
  });
}

/** The `auditLog` of a request, or undefined when nothing was given. */
export function auditParams(
  group: AuditLogGroup,
  settings: AuditSettings,
): AuditParams | undefined {
  if (!settings.show) return undefined;
  const { comment, timeSpent, ticketLink } = group.getRawValue();
  const params: { comment?: string; timeSpent?: number; ticketLink?: string } = {};
  if (comment.trim()) params.comment = comment.trim();
  if (timeSpent.trim()) params.timeSpent = Number(timeSpent.trim());
  if (ticketLink.trim()) params.ticketLink = ticketLink.trim();
  return Object.keys(params).length ? params : undefined;
}

/** `{auditLog}` to spread into a request body, or `{}` when nothing was given (closed schemas). */
export function auditBody(
  group: AuditLogGroup,
  settings: AuditSettings,
): { auditLog?: AuditParams } {
  const auditLog = auditParams(group, settings);
  return auditLog ? { auditLog } : {};
}
