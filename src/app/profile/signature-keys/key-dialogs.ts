import { Injectable, inject } from '@angular/core';
import type { ComponentType } from '@angular/cdk/portal';
import { MatDialog, type MatDialogConfig } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { GenerateCaDialog, type GenerateCaDialogData, type GenerateCaDialogResult } from '../ssl-keys/generate-ca-dialog';
import { DeleteKeyDialog, type DeleteKeyDialogData, type DeleteKeyDialogResult } from './delete-key/delete-key-dialog';
import { GenerateKeyDialog, type GenerateKeyDialogData, type GenerateKeyDialogResult } from './generate-key/generate-key-dialog';
import { ImportKeyDialog, type ImportKeyDialogData, type ImportKeyDialogResult } from './import-key/import-key-dialog';
import { ShowKeyDialog, type ShowKeyDialogData } from './show-key/show-key-dialog';
import { UpdateKeyDialog, type UpdateKeyDialogData, type UpdateKeyDialogResult } from './update-key/update-key-dialog';

/**
 * The one typed opener of the key tabs' dialogs (signing key and SSL CA). Each resolves to the dialog's result, or `undefined`
 * when it was dismissed.
 */
@Injectable({ providedIn: 'root' })
export class KeyDialogs {
  private readonly dialog = inject(MatDialog);

  show(data: ShowKeyDialogData): Promise<undefined> {
    return this.open<ShowKeyDialog, ShowKeyDialogData, undefined>(ShowKeyDialog, data, { width: '760px' });
  }

  update(data: UpdateKeyDialogData): Promise<UpdateKeyDialogResult | undefined> {
    return this.open(UpdateKeyDialog, data, { width: '760px' });
  }

  import(data: ImportKeyDialogData): Promise<ImportKeyDialogResult | undefined> {
    return this.open(ImportKeyDialog, data, { width: '720px' });
  }

  generate(data: GenerateKeyDialogData): Promise<GenerateKeyDialogResult | undefined> {
    return this.open(GenerateKeyDialog, data, { width: '600px' });
  }

  generateCa(data: GenerateCaDialogData): Promise<GenerateCaDialogResult | undefined> {
    return this.open(GenerateCaDialog, data, { width: '600px' });
  }

  delete(data: DeleteKeyDialogData): Promise<DeleteKeyDialogResult | undefined> {
    // An alert dialog: focus starts on Cancel, the safe choice.
    return this.open(DeleteKeyDialog, data, { width: '520px', role: 'alertdialog', autoFocus: '[data-cancel]' });
  }

  private open<C, D, R>(component: ComponentType<C>, data: D, config: MatDialogConfig<D>): Promise<R | undefined> {
    const ref = this.dialog.open<C, D, R>(component, { maxWidth: 'calc(100vw - 32px)', ...config, data });
    return firstValueFrom(ref.afterClosed());
  }
}
