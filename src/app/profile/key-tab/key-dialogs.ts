import { Injectable, Injector, PendingTasks, inject } from '@angular/core';
import type { ComponentType } from '@angular/cdk/portal';
import type { MatDialogConfig } from '@angular/material/dialog';
import { NavigationStart, Router } from '@angular/router';
import { filter, firstValueFrom } from 'rxjs';
import type { GenerateCaDialogData, GenerateCaDialogResult } from '../ssl-keys/generate-ca-dialog';
import type {
  DeleteKeyDialogData,
  DeleteKeyDialogResult,
} from '../signature-keys/delete-key/delete-key-dialog';
import type {
  GenerateKeyDialogData,
  GenerateKeyDialogResult,
} from '../signature-keys/generate-key/generate-key-dialog';
import type {
  ImportKeyDialogData,
  ImportKeyDialogResult,
} from '../signature-keys/import-key/import-key-dialog';
import type { ShowKeyDialogData } from '../signature-keys/show-key/show-key-dialog';
import type {
  UpdateKeyDialogData,
  UpdateKeyDialogResult,
} from '../signature-keys/update-key/update-key-dialog';

/**
 * The one typed opener of the key tabs' dialogs (signing key and SSL CA). Each resolves to the dialog's result, or `undefined`
 * when it was dismissed. Each dialog is loaded when first opened, and MatDialog with it (the CDK overlay,
 * focus trap, ...), so the tabs show their rows without that code.
 */
@Injectable({ providedIn: 'root' })
export class KeyDialogs {
  private readonly injector = inject(Injector);
  private readonly pendingTasks = inject(PendingTasks);
  /**
   * Set from the moment a dialog starts loading until it closes: a double click on a row's button
   * opens one dialog, not two stacked (two Generate dialogs would make two keys).
   */
  private busy = false;

  show(data: ShowKeyDialogData): Promise<undefined> {
    // Focus on the title, not on the first button: that is "Reveal", and Enter would show the
    // private key on screen.
    return this.open<ShowKeyDialogData, undefined>(
      () => import('../signature-keys/show-key/show-key-dialog').then((m) => m.ShowKeyDialog),
      data,
      { width: '760px', autoFocus: 'first-heading' },
    );
  }

  update(data: UpdateKeyDialogData): Promise<UpdateKeyDialogResult | undefined> {
    return this.open(
      () => import('../signature-keys/update-key/update-key-dialog').then((m) => m.UpdateKeyDialog),
      data,
      { width: '760px' },
    );
  }

  import(data: ImportKeyDialogData): Promise<ImportKeyDialogResult | undefined> {
    return this.open(
      () => import('../signature-keys/import-key/import-key-dialog').then((m) => m.ImportKeyDialog),
      data,
      { width: '720px' },
    );
  }

  generate(data: GenerateKeyDialogData): Promise<GenerateKeyDialogResult | undefined> {
    return this.open(
      () =>
        import('../signature-keys/generate-key/generate-key-dialog').then(
          (m) => m.GenerateKeyDialog,
        ),
      data,
      { width: '600px' },
    );
  }

  generateCa(data: GenerateCaDialogData): Promise<GenerateCaDialogResult | undefined> {
    return this.open(
      () => import('../ssl-keys/generate-ca-dialog').then((m) => m.GenerateCaDialog),
      data,
      { width: '600px' },
    );
  }

  delete(data: DeleteKeyDialogData): Promise<DeleteKeyDialogResult | undefined> {
    // An alert dialog: focus starts on Cancel, the safe choice.
    return this.open(
      () => import('../signature-keys/delete-key/delete-key-dialog').then((m) => m.DeleteKeyDialog),
      data,
      {
        width: '520px',
        role: 'alertdialog',
        autoFocus: '[data-cancel]',
        // An alert dialog says what it warns of as it opens, not only its title and Cancel.
        ariaDescribedBy: 'delete-what delete-warning',
      },
    );
  }

  private async open<D, R>(
    load: () => Promise<ComponentType<unknown>>,
    data: D,
    config: MatDialogConfig<D>,
  ): Promise<R | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    try {
      return await this.openAndWait<D, R>(load, data, config);
    } finally {
      this.busy = false;
    }
  }

  private async openAndWait<D, R>(
    load: () => Promise<ComponentType<unknown>>,
    data: D,
    config: MatDialogConfig<D>,
  ): Promise<R | undefined> {
    // Loading counts as pending work, so the app (and a test's whenStable) waits for the dialog.
    const loaded = this.pendingTasks.add();
    let ref;
    try {
      const [{ MatDialog }, component] = await Promise.all([
        import('@angular/material/dialog'),
        load(),
      ]);
      ref = this.injector.get(MatDialog).open<unknown, D, R>(component, {
        maxWidth: 'calc(100vw - 32px)',
        // The first focus is given as the dialog is drawn, not when its open animation ends: that
        // end is a timer, late under load, and by then the person may be in another field (their
        // paste then went into the first one instead).
        delayFocusTrap: false,
        ...config,
        data,
      });
    } finally {
      loaded();
    }
    // A dialog belongs to its page: when the console leaves it (the session ended elsewhere, or
    // ran out, and the login page is shown), the dialog must not stay on top of the next one.
    const leaving = this.injector
      .get(Router)
      .events.pipe(filter((event) => event instanceof NavigationStart))
      .subscribe(() => ref.close());
    try {
      return await firstValueFrom(ref.afterClosed());
    } finally {
      leaving.unsubscribe();
    }
  }
}
