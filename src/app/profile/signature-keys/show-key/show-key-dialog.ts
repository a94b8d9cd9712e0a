import { Clipboard } from '@angular/cdk/clipboard';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import type { JocKeyPair } from '../../../../contract';
import { Preferences } from '../../../core/session/preferences';
import { describeStatus } from '../key-row';
import type { KeySummary } from '../key-summary';
import { downloadPem } from '../pem-download';

export interface ShowKeyDialogData {
  readonly pair: JocKeyPair;
  readonly summary: KeySummary;
  /** Whose key this is (for file names). */
  readonly owner: string;
}

/** Show has nothing to return. */
export type ShowKeyDialogResult = undefined;

/** The parsed certificate and both PEMs; the private key stays masked until "Reveal". */
@Component({
  selector: 'app-show-key-dialog',
  imports: [MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose, MatButton, MatIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './show-key-dialog.html',
  styleUrl: './show-key-dialog.scss',
})
export class ShowKeyDialog {
  private readonly clipboard = inject(Clipboard);
  protected readonly preferences = inject(Preferences);
  protected readonly data = inject<ShowKeyDialogData>(MAT_DIALOG_DATA);

  protected readonly revealed = signal(false);
  protected readonly copied = signal('');

  protected readonly cert = this.data.summary.certificate;
  protected readonly status = computed(() => describeStatus(this.data.summary.status, (d) => this.preferences.date(d)));
  protected readonly expired = this.data.summary.status.kind === 'expired';
  protected readonly notYetValid = this.data.summary.status.kind === 'not-yet-valid';

  protected copy(what: 'private key' | 'certificate', text: string): void {
    this.copied.set(this.clipboard.copy(text) ? `The ${what} was copied to the clipboard.` : `The ${what} could not be copied: select the text and copy it.`);
  }

  protected download(what: 'key' | 'certificate', text: string): void {
    downloadPem(`${this.data.owner}-signing-${what}.pem`, text);
  }
}
