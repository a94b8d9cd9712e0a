import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';

/** The action buttons a row offers. */
export type KeyAction = 'show' | 'update' | 'import' | 'generate' | 'delete';

/** One button of a row: what it does, its name (label and tooltip) and its icon. */
export interface ActionButton {
  readonly action: KeyAction;
  readonly label: string;
  readonly icon: string;
}

/**
 * A key row's buttons with their tooltips. The row draws the same buttons without tooltips until
 * this is loaded: MatTooltip brings the CDK overlay, which drawing the row does not need.
 */
@Component({
  selector: 'app-key-actions',
  imports: [MatIconButton, MatIcon, MatTooltip],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (b of buttons(); track b.action) {
      <button mat-icon-button type="button" [attr.aria-label]="b.label" [matTooltip]="b.label" (click)="action.emit(b.action)"><mat-icon>{{ b.icon }}</mat-icon></button>
    }
  `,
})
export class KeyActions {
  readonly buttons = input.required<readonly ActionButton[]>();
  readonly action = output<KeyAction>();
}
