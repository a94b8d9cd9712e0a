import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TranslatePipe } from '../../core/i18n/translate.pipe';

/**
 * The table around key rows (`tr[appKeyRow]`), shared by the Signature and SSL Key Management
 * tabs. Below 1200 px the header is hidden and each row stacks its cells with their labels, so
 * the actions stay on screen: side by side, the seven columns need that width in German (whose
 * headers are long single words) without breaking the subject inside its words.
 */
@Component({
  selector: 'app-key-table',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{{ 'keys.table.item' | translate }}</th>
            <th scope="col">{{ 'keys.table.subject' | translate }}</th>
            <th scope="col">{{ 'keys.table.status' | translate }}</th>
            <th scope="col">{{ 'keys.table.validity' | translate }}</th>
            <th scope="col">{{ 'keys.table.algorithm' | translate }}</th>
            <th scope="col">{{ 'keys.table.fingerprint' | translate }}</th>
            <th scope="col">
              <span class="visually-hidden">{{ 'keys.table.actions' | translate }}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <ng-content />
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .table-wrap {
      overflow-x: auto;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 12px;
      background: var(--mat-sys-surface-container-lowest);
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    /*
     * Heard, not seen. Not the CDK's cdk-visually-hidden: its styles arrive with the first dialog,
     * so until then the word showed, and then vanished from the header.
     */
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    thead th {
      text-align: left;
      padding: 12px 8px;
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
      white-space: nowrap;
    }
    @media (max-width: 1200px) {
      table,
      tbody {
        display: block;
      }
      thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
    }
  `,
})
export class KeyTable {}
