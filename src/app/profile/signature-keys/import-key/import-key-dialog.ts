import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  DOCUMENT,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  linkedSignal,
  resource,
  signal,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import {
  MAT_DIALOG_DATA,
  MatDialogActions,
  MatDialogContent,
  MatDialogRef,
  MatDialogTitle,
} from '@angular/material/dialog';
import type { ErrorStateMatcher } from '@angular/material/core';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatRadioButton, MatRadioGroup } from '@angular/material/radio';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslatePipe } from '../../../core/i18n/translate.pipe';
import {
  type Certificate,
  type InspectedItem,
  type PrivateKey,
  type Result,
  certificateFor,
  certificatesOfKey,
  inspect,
  verifyCaPair,
  verifySigningPair,
} from '../../../../pki';
import { JocApi } from '../../../core/api/joc-api';
import { I18n } from '../../../core/i18n/i18n';
import { Preferences } from '../../../core/session/preferences';
import { AuditLogInput } from '../../audit-log-input/audit-log-input';
import { auditBody, auditLogForm, type AuditSettings } from '../../audit-log-input/audit-log-form';
import { DialogRequest, missingShower, RequestError } from '../../key-tab/dialog-request';
import {
  DECRYPT_TIME_LIMIT,
  type Decryption,
  decryptionNotice,
  inspectOffThread,
} from '../../key-tab/decrypt-off-thread';
import { pairNotes } from '../pair-notes';
import {
  type Coded,
  formatName,
  issuerParams,
  itemText,
  noExpiry,
  textOf,
  verdictInPersonsDates,
} from '../texts';
import type { ChangeCheck } from '../../key-tab/change-check';

export interface ImportKeyDialogData {
  readonly audit: AuditSettings;
  /** The signing key (default) or the SSL CA (ECDSA only, a CA certificate: `checkCaPair`). */
  readonly target?: 'signing' | 'ca';
  /** Asked before the write: whether another session changed the key since the dialog opened. */
  readonly unchanged?: ChangeCheck;
}

export interface ImportKeyDialogResult {
  readonly imported: true;
  /** The certificate as sent (PEM), to compare with what the server returns afterwards. */
  readonly certificate: string;
}

/** One chosen file and what the browser found in it. */
export interface ImportedFile {
  readonly id: number;
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Password used to open it (PKCS#12, encrypted key). */
  readonly password: string;
  readonly result: Result<InspectedItem[]>;
}

/** A file that needs a password: PKCS#12 or an encrypted key, unopened or opened with a wrong one. */
export function needsPassword(file: ImportedFile): boolean {
  if (!file.result.ok) return file.result.reason === 'wrong-passphrase';
  return file.result.value.some((i) => i.kind === 'pkcs12' || i.kind === 'encrypted-private-key');
}

/** A private key the files hold, as the person chooses among several. */
export interface KeyChoice {
  /** The key itself (its public key in hex): a choice outlives the files around it. */
  readonly id: string;
  readonly key: PrivateKey;
  /** The file it came from (the first, when several hold it). */
  readonly file: string;
  /** Its keystore entry's name (PKCS#12 friendlyName), when it has one. */
  readonly alias?: string;
  /** Its place among its file's keys, for a file of several keys without names. */
  readonly nth?: number;
  /** The certificate stored with it when chosen, if one given belongs to it. */
  readonly certificate?: Certificate;
}

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The private keys the files hold, in the order given: files as chosen, a keystore's entries as
 * they are in it. A key given twice (its PEM beside the .p12 it came from) is one key, offered
 * once: storing either is storing the same.
 */
export function keyChoices(files: readonly ImportedFile[]): KeyChoice[] {
  const certificates = certificatesGiven(files);
  const seen = new Set<string>();
  return files.flatMap((f) => {
    const keys = f.result.ok
      ? f.result.value.flatMap((i) => (i.kind === 'private-key' ? [i] : []))
      : [];
    const unnamed = keys.filter((i) => !i.alias).length;
    return keys.flatMap((i, n) => {
      const id = hex(i.key.spki);
      if (seen.has(id)) return [];
      seen.add(id);
      const own = certificatesOfKey(i.key, certificates);
      return [
        {
          id,
          key: i.key,
          file: f.name,
          ...(i.alias ? { alias: i.alias } : unnamed > 1 ? { nth: n + 1 } : {}),
          ...(own.length ? { certificate: certificateFor(i.key, own) } : {}),
        },
      ];
    });
  });
}

/** Every file's certificates: which one is stored is the key's to decide (certificateFor). */
function certificatesGiven(files: readonly ImportedFile[]): Certificate[] {
  return files.flatMap((f) =>
    f.result.ok
      ? f.result.value.flatMap((i) => (i.kind === 'certificate' ? [i.certificate] : []))
      : [],
  );
}

/**
 * The pair the files make together: the key chosen (`choice`, a {@link KeyChoice} id; else the
 * first key given), and every certificate given with the file it came from (by the file's id).
 */
export function combine(
  files: readonly ImportedFile[],
  choice?: string,
): {
  keys: KeyChoice[];
  chosen?: KeyChoice;
  key?: PrivateKey;
  certificates: Certificate[];
  origins: ReadonlyMap<Certificate, number>;
  notes: Coded[];
} {
  const notes: Coded[] = [];
  const keys = keyChoices(files);
  const chosen = keys.find((k) => k.id === choice) ?? keys[0];
  // Which one, by its keystore entry when it has a name (keys of one .p12 share the file's).
  if (chosen && keys.length > 1) {
    const { file, alias } = chosen;
    notes.push(
      alias
        ? {
            code: 'sig.import.chosenKeyEntry',
            params: { count: keys.length, file, alias },
            message: `${keys.length} private keys were found; the one in entry "${alias}" of ${file} is stored, as chosen above.`,
          }
        : {
            code: 'sig.import.chosenKey',
            params: { count: keys.length, file },
            message: `${keys.length} private keys were found; the one from ${file} is stored, as chosen above.`,
          },
    );
  }
  const origins = new Map<Certificate, number>();
  for (const f of files)
    if (f.result.ok)
      for (const i of f.result.value)
        if (i.kind === 'certificate') origins.set(i.certificate, f.id);
  return { keys, chosen, key: chosen?.key, certificates: [...origins.keys()], origins, notes };
}

let nextId = 1;

/**
 * Drop or choose files (key and certificate, a PEM bundle, DER, PKCS#12 with its password). The
 * browser reads them, previews the pair, then stores the key and its certificate in one call.
 */
@Component({
  selector: 'app-import-key-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogTitle,
    MatDialogContent,
    MatDialogActions,
    MatButton,
    MatIconButton,
    MatIcon,
    MatTooltip,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatProgressBar,
    MatRadioGroup,
    MatRadioButton,
    AuditLogInput,
    RequestError,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './import-key-dialog.html',
  styleUrl: './import-key-dialog.scss',
})
export class ImportKeyDialog {
  private readonly api = inject(JocApi);
  protected readonly preferences = inject(Preferences);
  protected readonly i18n = inject(I18n);
  protected readonly ref =
    inject<MatDialogRef<ImportKeyDialog, ImportKeyDialogResult>>(MatDialogRef);
  protected readonly data = inject<ImportKeyDialogData>(MAT_DIALOG_DATA);
  protected readonly request = new DialogRequest(this.ref);
  private readonly showMissing = missingShower();
  protected readonly target = this.data.target ?? 'signing';
  protected readonly audit = auditLogForm(inject(NonNullableFormBuilder), this.data.audit);
  private readonly auditStatus = toSignal(this.audit.statusChanges, {
    initialValue: this.audit.status,
  });

  protected readonly files = signal<readonly ImportedFile[]>([]);
  protected readonly reading = signal(0);
  protected readonly dragging = signal(false);
  /** Files being opened with a password (in a worker), and what the last try of each left to say. */
  protected readonly decrypting = signal<ReadonlySet<number>>(new Set());
  protected readonly notices = signal<ReadonlyMap<number, string | Coded>>(new Map());
  private readonly running = new Map<number, Decryption<InspectedItem[]>>();
  private readonly timeLimit = inject(DECRYPT_TIME_LIMIT);

  /** The private keys offered, when the files hold several; the stored one is the person's choice. */
  protected readonly offered = computed(() => keyChoices(this.files()));
  /**
   * The key chosen: the first one given until the person picks another, kept while files come
   * and go as long as one of them still holds it, else the first one given again.
   */
  protected readonly choice = linkedSignal<readonly KeyChoice[], string | undefined>({
    source: this.offered,
    computation: (keys, previous) => keys.find((k) => k.id === previous?.value)?.id ?? keys[0]?.id,
  });
  protected readonly combined = computed(() => combine(this.files(), this.choice()));
  /** Files whose keys are offered only once they are opened. */
  protected readonly locked = computed(() => this.files().filter(needsPassword));
  /** The certificate stored with the key: the one for it, whatever the order of a chain. */
  protected readonly certificate = computed(() => {
    const { key, certificates } = this.combined();
    return certificateFor(key, certificates);
  });
  protected readonly preview = resource({
    params: () => ({
      key: this.combined().key,
      certificate: this.certificate(),
      given: this.combined().certificates,
      origins: this.combined().origins,
    }),
    // The server's rules over what the files held, already read: nothing is parsed again.
    loader: async ({ params: { key, certificate, given, origins } }) => {
      if (!key || (this.target === 'ca' && !certificate)) return undefined;
      const checked =
        this.target === 'ca'
          ? verifyCaPair(key, certificate!)
          : verifySigningPair(key, certificate);
      const now = new Date();
      const dayNumber = this.preferences.dayNumber();
      const verdict = verdictInPersonsDates(
        checked,
        (d) => this.preferences.dateTime(d),
        dayNumber,
        now,
      );
      if (!verdict.ok || !certificate) return verdict;
      const notes = await pairNotes(key, certificate, given, {
        target: this.target,
        now,
        warnDays: this.preferences.current().warnDays,
        date: (d) => this.preferences.date(d),
        dayNumber,
        fileOf: (c) => origins.get(c),
      });
      return { ...verdict, warnings: [...verdict.warnings, ...notes] };
    },
  });
  /** What the files still lack, as a catalog key and its parameters. */
  protected readonly missing = computed<
    { key: string; params?: Record<string, unknown> } | undefined
  >(() => {
    const { key, certificates } = this.combined();
    if (!this.files().length || (key && certificates.length)) return undefined;
    // A file not opened yet may hold what is missing: ask for its password, not for another file.
    const locked = this.files().find(needsPassword);
    if (locked) return { key: 'sig.import.missingLocked', params: { name: locked.name } };
    // A file the person meant as the key or the certificate, that is neither: name it and say why.
    const holding = (kind: InspectedItem['kind']) =>
      this.files().find((f) => f.result.ok && f.result.value.some((i) => i.kind === kind));
    const publicKey = !key && holding('public-key');
    if (publicKey) return { key: 'sig.import.missingKeyPublic', params: { name: publicKey.name } };
    const csr = !certificates.length && holding('csr');
    if (csr) return { key: 'sig.import.missingCertCsr', params: { name: csr.name } };
    if (!key && !certificates.length) return { key: 'sig.import.missingBoth' };
    if (!key) return { key: 'sig.import.missingKey' };
    return { key: 'sig.import.missingCert' };
  });
  protected readonly canImport = computed(
    () =>
      !this.missing() &&
      this.preview.value()?.ok === true &&
      !this.preview.isLoading() &&
      this.reading() === 0 &&
      this.decrypting().size === 0 &&
      this.auditStatus() === 'VALID' &&
      !this.request.sending(),
  );

  protected readonly needsPassword = needsPassword;
  protected readonly WRONG: ErrorStateMatcher = { isErrorState: () => true };
  protected readonly RIGHT: ErrorStateMatcher = { isErrorState: () => false };
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);

  /** Each locked file's password field (a control, so that Material shows its error state). */
  private readonly passwords = new Map<number, FormControl<string>>();
  protected passwordControl(file: ImportedFile): FormControl<string> {
    let control = this.passwords.get(file.id);
    if (!control)
      this.passwords.set(file.id, (control = new FormControl('', { nonNullable: true })));
    return control;
  }

  protected wrongPassword(file: ImportedFile): boolean {
    return !file.result.ok && file.result.reason === 'wrong-passphrase';
  }

  constructor() {
    // Closing (Cancel, Escape, the backdrop) ends every decryption at once, not after the animation.
    this.ref.beforeClosed().subscribe(() => this.stopAll());
    inject(DestroyRef).onDestroy(() => this.stopAll());
  }

  /** What an item is, in the person's language; a certificate's date in their zone and format. */
  protected describe(item: InspectedItem): string {
    return itemText(this.i18n, item, (d) => this.preferences.date(d));
  }

  /** A key offered, by its entry's name, else its file (and its place there). */
  protected choiceName(choice: KeyChoice): string {
    if (choice.alias)
      return this.i18n.t('sig.import.choiceEntry', { alias: choice.alias, file: choice.file });
    if (choice.nth)
      return this.i18n.t('sig.import.choiceNth', { file: choice.file, n: choice.nth });
    return choice.file;
  }

  /** What a key offered is, and the certificate stored with it. */
  protected choiceDetail({ key, certificate }: KeyChoice): string {
    return certificate
      ? this.i18n.t('sig.import.choiceCert', {
          key: key.label,
          subject: certificate.subject,
          date: this.preferences.date(certificate.notAfter),
          noExpiry: noExpiry(certificate.notAfter),
        })
      : this.i18n.t('sig.import.choiceNoCert', { key: key.label });
  }

  protected text(x: string | Coded): string {
    return textOf(this.i18n, x);
  }

  protected readonly issuerParams = issuerParams;
  protected readonly noExpiry = noExpiry;

  protected format(format: string): string {
    return formatName(this.i18n, format);
  }

  protected dragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    if (event.dataTransfer?.files.length) void this.add(event.dataTransfer.files);
  }

  protected chosen(input: HTMLInputElement): void {
    if (input.files?.length) void this.add(input.files);
    input.value = '';
  }

  /** Reads files in the browser and tells what each holds. */
  async add(list: FileList | readonly File[]): Promise<void> {
    const files = Array.from(list);
    this.reading.update((n) => n + files.length);
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      // The name goes into the commands a message gives ("keytool ... -srckeystore signing.jks").
      const result = await inspect(bytes, { name: file.name });
      const added: ImportedFile = { id: nextId++, name: file.name, bytes, password: '', result };
      this.files.update((all) => [...all, added]);
      this.reading.update((n) => n - 1);
      // PKCS#12 files exported without a password (openssl pkcs12 -passout pass:, many
      // appliances) open with the empty one: the person is asked only when that fails.
      if (result.ok && result.value.some((i) => i.kind === 'pkcs12'))
        void this.open(added, '', { quiet: true });
    }
  }

  /**
   * Opens a file with its password in a worker: a file's iteration count can make the key
   * derivation take minutes, and the page must keep answering (Stop, Cancel, typing) meanwhile.
   * A quiet try (the empty password, not typed by the person) changes the file only when it
   * opens, and says nothing when it does not.
   */
  protected async open(
    file: ImportedFile,
    password: string,
    { quiet = false }: { quiet?: boolean } = {},
  ): Promise<void> {
    this.running.get(file.id)?.stop();
    const decryption = inspectOffThread(file.bytes, password, this.timeLimit, file.name);
    this.running.set(file.id, decryption);
    this.decrypting.update((ids) => new Set(ids).add(file.id));
    this.notice(file.id, undefined);
    const outcome = await decryption.answer;
    // A newer try, Remove or closing the dialog has taken over: it says what happened.
    if (this.running.get(file.id) !== decryption) return;
    this.running.delete(file.id);
    this.decrypting.update((ids) => new Set([...ids].filter((id) => id !== file.id)));
    if (quiet && (outcome.end !== 'read' || !outcome.result.ok)) return;
    if (outcome.end === 'read') {
      const { result } = outcome;
      this.files.update((all) =>
        all.map((f) => (f.id === file.id ? { ...f, password, result } : f)),
      );
    } else this.notice(file.id, decryptionNotice(file.name, outcome.end, this.timeLimit));
    this.passwords.get(file.id)?.setValue('');
    // The password form gave way to "Decrypting…", taking the focus with it: back to the
    // password field when the file is still locked, else on to Import.
    this.refocus(`[data-password-for="${file.id}"]`, '[data-import]');
  }

  /** Stops opening a file; the file stays as it was. */
  protected stop(file: ImportedFile): void {
    this.running.get(file.id)?.stop();
  }

  protected remove(file: ImportedFile): void {
    const decryption = this.running.get(file.id);
    this.running.delete(file.id);
    decryption?.stop();
    this.decrypting.update((ids) => new Set([...ids].filter((id) => id !== file.id)));
    this.notice(file.id, undefined);
    this.passwords.delete(file.id);
    this.files.update((all) => all.filter((f) => f.id !== file.id));
    // The pressed Remove button is gone with its file.
    this.refocus('[data-choose]');
  }

  /** After the next drawing, when the focus fell to the page: the first of `targets` there. */
  private refocus(...targets: string[]): void {
    afterNextRender(
      () => {
        const active = this.document.activeElement;
        if (active && active !== this.document.body) return;
        for (const target of targets) {
          const element = this.host.nativeElement.querySelector<HTMLElement>(target);
          if (element) return element.focus();
        }
      },
      { injector: this.injector },
    );
  }

  private stopAll(): void {
    const all = [...this.running.values()];
    this.running.clear();
    all.forEach((decryption) => decryption.stop());
  }

  private notice(id: number, text: string | Coded | undefined): void {
    this.notices.update((all) => {
      const next = new Map(all);
      if (text === undefined) next.delete(id);
      else next.set(id, text);
      return next;
    });
  }

  protected async import(): Promise<void> {
    const key = this.combined().key;
    const certificate = this.certificate();
    if (!this.canImport() || !key || !certificate) {
      // A press on the (focusable) disabled button: the reason field says if it is missing.
      this.showMissing(this.audit);
      return;
    }
    const audit = auditBody(this.audit, this.data.audit);
    // Key and certificate in one write. JOC's import takes one file per call: a certificate
    // refused (or a connection lost) after its key was stored left the new key without its
    // certificate, and the working pair gone. The store call keeps both or neither.
    const stored = await this.request.run(
      () =>
        this.target === 'ca'
          ? this.api.storeCa({ privateKey: key.pem, certificate: certificate.pem, ...audit })
          : this.api.storeKey({
              keys: {
                privateKey: key.pem,
                certificate: certificate.pem,
                keyAlgorithm: key.algorithm,
              },
              ...audit,
            }),
      this.data.unchanged,
    );
    if (stored) this.ref.close({ imported: true, certificate: certificate.pem });
  }
}
