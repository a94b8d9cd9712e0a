import { Pipe, type PipeTransform, inject } from '@angular/core';
import { I18n } from './i18n';

/**
 * `{{ 'sig.update.store' | translate }}`, `{{ 'sig.update.recognised' | translate: { what } }}`.
 * Impure, so that it runs again when the language changes: a pure pipe would keep its first
 * answer while its arguments stay the same. A catalog lookup is cheaper than the check Angular
 * would need to skip it.
 */
@Pipe({ name: 'translate', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(key: string, params?: Record<string, unknown>): string {
    return this.i18n.t(key, params);
  }
}
