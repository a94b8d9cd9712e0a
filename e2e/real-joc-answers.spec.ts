/**
 * Against a real JOC Cockpit, through the UI: each answer real-joc.md lists that differs from the
 * embedded server (issue 12 item 2) — four-eyes approval (433), a certificate without its key
 * (PUBLIC), a PGP key, self-signed Generate valid 365 days, RSA with "Use SSL CA", two-factor and
 * forced password change logins, 403 and lost-session answers without `error`, the 2.9.0 LOW write
 * defect, and our missing /profile/key/check asked once. The server runs as `JOC_URL=… npm start`
 * in front of the JOC double; no request may violate JOC's schemas.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dialog, fixture, keyRow, logIn, shot } from './support/console';
import { startJocDouble, type JocDouble, type StoredKey } from './support/joc-double';
import { startServer, type RunningServer } from './support/embedded-server';

test.describe.configure({ mode: 'serial' });

const pem = (name: string) => readFileSync(fixture(name), 'utf8');
const EC256: StoredKey = {
  privateKey: pem('ec256.pkcs8.pem'),
  certificate: pem('ec256.crt.pem'),
  keyAlgorithm: 'ECDSA',
};
const PGP: StoredKey = {
  privateKey:
    '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEZ0test\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n',
  publicKey:
    '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ0test\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n',
  keyAlgorithm: 'PGP',
};

let joc: JocDouble;
let server: RunningServer;
let page: Page;

test.beforeAll(async ({ browser }) => {
  joc = await startJocDouble({
    securityLevel: 'LOW',
    defaultProfileAccount: 'root',
    accounts: {
      root: { password: 'root', roles: ['all'] },
      fido: { password: 'fido-pw', secondFactor: 'FIDO-2ND' },
      newbie: { password: 'newbie-pw', forcePasswordChange: true },
    },
    keys: { root: EC256 },
  });
  server = await startServer(undefined, { jocUrl: joc.url });
  page = await (await browser.newContext()).newPage();
});

test.afterAll(async () => {
  await page?.context().close();
  await server?.stop();
  await joc?.stop();
});

/** Reads the key again as a person would: reload the tab. */
async function reload(): Promise<void> {
  await page.reload();
  await expect(keyRow(page)).toBeVisible();
}

test('two-factor login: says what is not supported and where to log in', async () => {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Account').fill('fido');
  await page.getByLabel('Password').fill('fido-pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('asks for a second factor');
  await expect(page.getByRole('alert')).toContainText("JOC Cockpit's own login page");
  await shot(page, 'real-joc-answers-01-2fa');
});

test('a password JOC wants changed first: says to change it in JOC Cockpit', async () => {
  await page.getByLabel('Account').fill('newbie');
  await page.getByLabel('Password').fill('newbie-pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toContainText('change your password');
  // The session JOC opened for it is closed again.
  expect(joc.requests.at(-1)?.path).toBe('authentication/logout');
});

test('the readiness check JOC lacks is asked once, then done in the browser', async () => {
  await logIn(page, 'root', 'root');
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  await page.getByRole('link', { name: 'SSL Key Management' }).click();
  await page.getByRole('link', { name: 'Signature Key Management' }).click();
  await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  expect(joc.requests.filter((r) => r.path === 'profile/key/check')).toHaveLength(1);
});

test('four-eyes approval (433): JOC message and approvers, the change was not made', async () => {
  joc.options.approvers = [{ accountName: 'anna', firstName: 'Anna', lastName: 'Berg' }];
  try {
    await keyRow(page).getByRole('button', { name: 'Generate' }).click();
    await dialog(page).getByRole('button', { name: 'Generate' }).click();
    const error = dialog(page).getByRole('alert');
    await expect(error).toContainText('Approval required: the change was not made');
    await expect(error).toContainText('four-eyes principle');
    await expect(dialog(page).getByRole('list', { name: 'Who can approve' })).toContainText(
      'Anna Berg (anna)',
    );
    await shot(page, 'real-joc-answers-02-approval');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
  } finally {
    joc.options.approvers = undefined;
  }
});

test('Generate, self-signed: JOC makes it valid 365 days, and the dialog says so', async () => {
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toContainText(
    'JOC Cockpit makes a self-signed certificate valid for 365 days',
  );
  await expect(dialog(page).getByLabel('Valid until')).toBeDisabled();
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=root,OU=JOC,O=JS7');
});

test('RSA with "Use SSL CA" is off against JOC, with the reason', async () => {
  // An SSL CA in JOC, made through the API as JOC's own UI would.
  const status = await page.evaluate(async () => {
    const token = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}').token;
    const answer = await fetch('/joc/api/profile/ca/generate', {
      method: 'POST',
      headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ dn: 'CN=JS7 Test CA,O=JS7' }),
    });
    return answer.status;
  });
  expect(status).toBe(200);
  await reload();
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page).getByRole('checkbox', { name: 'Use SSL CA' })).toBeEnabled();
  await dialog(page).getByRole('radio', { name: /RSA/ }).check();
  await expect(dialog(page).getByRole('checkbox', { name: 'Use SSL CA' })).toBeDisabled();
  await expect(dialog(page)).toContainText('JOC Cockpit cannot sign an RSA key with its SSL CA');
  await shot(page, 'real-joc-answers-03-rsa-ca');
  await dialog(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('a certificate without its private key (PUBLIC): deployments will fail, never ready', async () => {
  joc.keys.set('root', { certificate: EC256.certificate, keyAlgorithm: 'ECDSA' });
  await reload();
  await expect(keyRow(page)).toContainText('No private key (deployments will fail)');
  await expect(keyRow(page)).toContainText('Not ready to deploy');
  await expect(page.getByText(/^Ready to deploy/)).toHaveCount(0);
  await expect(page.getByText('Private key stored — Failed')).toBeVisible();
  await shot(page, 'real-joc-answers-04-public');
});

test('a PGP key: what is stored, managed in JOC Cockpit; Show works; no X.509 failure', async () => {
  joc.keys.set('root', PGP);
  await reload();
  await expect(keyRow(page)).toContainText('PGP key stored (managed in JOC Cockpit)');
  await expect(page.getByText('Deployment readiness not checked here')).toBeVisible();
  await keyRow(page).getByRole('button', { name: 'Show' }).click();
  await expect(dialog(page)).toContainText('BEGIN PGP PUBLIC KEY BLOCK');
  await shot(page, 'real-joc-answers-05-pgp');
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
});

test('JOC 2.9.0 at LOW: Update and Import are not offered, as JOC stores them where nothing signs', async () => {
  joc.keys.set('root', EC256);
  joc.options.low290Defect = true;
  try {
    await reload();
    await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
    await expect(keyRow(page).getByRole('button', { name: 'Generate' })).toBeVisible();
    await expect(keyRow(page).getByRole('button', { name: 'Update' })).toHaveCount(0);
    await expect(keyRow(page).getByRole('button', { name: 'Import' })).toHaveCount(0);
    await expect(page.getByRole('note')).toContainText(
      'JOC Cockpit 2.9.0 at security level LOW stores a pasted or imported key as the key for security level MEDIUM, which signs nothing at LOW',
    );
    await shot(page, 'real-joc-answers-06-low-defect');
  } finally {
    joc.options.low290Defect = false;
  }
});

test('a JOC that names no version, at LOW: an Import "stored" elsewhere is said plainly', async () => {
  joc.keys.set('root', EC256);
  joc.options.low290Defect = true;
  joc.options.apiVersion = null;
  try {
    await reload();
    await keyRow(page).getByRole('button', { name: 'Import' }).click();
    await dialog(page)
      .locator('input[type=file]')
      .setInputFiles([fixture('rsa2048.pkcs8.pem'), fixture('rsa2048.crt.pem')]);
    await expect(dialog(page)).toContainText(
      'The private key and the certificate belong together.',
    );
    await dialog(page).getByRole('button', { name: 'Import' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(page.getByRole('alert')).toContainText(
      'which signs nothing at LOW. Use Generate instead.',
    );
    await expect(page.getByRole('alert')).not.toContainText('stored.');
    await expect(keyRow(page)).toContainText('CN=ec256,OU=JOC,O=JS7');
    expect(joc.keys.get('MEDIUM:root')?.certificate).toContain('BEGIN CERTIFICATE');
  } finally {
    joc.options.low290Defect = false;
    joc.options.apiVersion = undefined;
  }
});

test('an ML-DSA public key alone: says so, deployments will fail', async () => {
  joc.keys.set('root', {
    publicKey:
      '-----BEGIN PUBLIC KEY-----\nMIIHsjALBglghkgBZQMEAxIDggehAA==\n-----END PUBLIC KEY-----\n',
    keyAlgorithm: 'MLDSA',
  });
  await reload();
  await expect(keyRow(page)).toContainText(
    'ML-DSA public key only: no private key (deployments will fail)',
  );
  await expect(keyRow(page)).not.toContainText('cannot be read');
  joc.keys.set('root', EC256);
});

test('Generate with "Use SSL CA": the chosen date applies, JOC signs with its CA', async () => {
  await reload();
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  await dialog(page).getByRole('checkbox', { name: 'Use SSL CA' }).check();
  await expect(dialog(page).getByLabel('Valid until')).toBeEnabled();
  await expect(dialog(page)).not.toContainText('valid for 365 days');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  // The dialog's default with the CA is two years: JOC honours the date here.
  await expect(keyRow(page)).toContainText(String(new Date().getFullYear() + 2));
});

test('four-eyes approval on a CA write (433): the approvers, nothing changed', async () => {
  joc.options.approvers = [{ accountName: 'anna', firstName: 'Anna', lastName: 'Berg' }];
  try {
    await page.getByRole('link', { name: 'SSL Key Management' }).click();
    const caRow = page
      .locator('tr', { hasText: 'SSL CA' })
      .filter({ has: page.locator('th[scope=row]') });
    await expect(caRow).toContainText('CN=JS7 Test CA,O=JS7');
    await caRow.getByRole('button', { name: 'Generate' }).click();
    await dialog(page).getByLabel('Distinguished Name').fill('CN=Other CA,O=JS7');
    await dialog(page).getByRole('button', { name: 'Generate' }).click();
    await expect(dialog(page).getByRole('alert')).toContainText(
      'Approval required: the change was not made',
    );
    await expect(dialog(page).getByRole('list', { name: 'Who can approve' })).toContainText(
      'Anna Berg (anna)',
    );
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(caRow).toContainText('CN=JS7 Test CA,O=JS7');
    await page.getByRole('link', { name: 'Signature Key Management' }).click();
  } finally {
    joc.options.approvers = undefined;
  }
});

test("403 without `error`: JOC's own reason is shown", async () => {
  joc.answerNext(
    'profile/key',
    { status: 403, body: { isAuthenticated: true, isPermitted: false, message: 'Access denied' } },
    Infinity,
  );
  try {
    await page.reload();
    await expect(page.getByText('Access denied')).toBeVisible();
    await shot(page, 'real-joc-answers-07-403');
  } finally {
    joc.clearAnswers();
  }
});

test('a 420 with UnknownSessionException leads to the login page like an expired session', async () => {
  await reload();
  joc.answerNext('profile/key', {
    status: 420,
    body: {
      deliveryDate: '2026-12-01T12:00:00.000+00:00',
      error: {
        code: 'JOC-420',
        message: 'UnknownSessionException: There is no session with id [4711]',
      },
    },
  });
  await page.reload();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Your session has expired');
});

test('a 440 without `error` leads to the login page', async () => {
  await logIn(page, 'root', 'root');
  await expect(keyRow(page)).toBeVisible();
  // Calls made below the row once the page is idle (the History panel) must be done: one answered
  // 440 would send the page to the login page itself, and the reload would land there without a
  // session to call expired.
  await expect(page.locator('app-history-panel')).toContainText(/Change|No changes/);
  // JOC forgets every session (as after its restart): the next call answers 440.
  joc.dropSessions();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('expired');
});

test('nothing written by the server, no request outside JOC schemas', async () => {
  expect(readdirSync(server.dataDir)).toEqual([]);
  expect(joc.violations).toEqual([]);
});
