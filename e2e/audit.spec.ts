/** forceCommentsForAuditLog: every writing dialog asks for a reason; the server records it. */
import { expect, test } from '@playwright/test';
import { dialog, expectAccessible, keyRow, logIn, shot } from './support/console';
import { jocConfig, startServer, type RunningServer } from './support/embedded-server';

let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer(jocConfig({ forceCommentsForAuditLog: true }));
});

test.afterAll(async () => {
  await server?.stop();
});

test('a reason is required; a predefined one is picked and recorded with time and ticket', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  await logIn(page, 'root', 'root');
  await keyRow(page).getByRole('button', { name: 'Generate' }).click();
  const reason = dialog(page).getByRole('combobox', { name: 'Reason' });
  await expect(reason).toBeVisible();
  await expect(dialog(page).getByRole('button', { name: 'Generate' })).toBeDisabled();
  await reason.click();
  await page.getByRole('option', { name: 'Key rotation' }).click();
  await dialog(page).getByLabel('Time spent').fill('10');
  await dialog(page).getByLabel('Ticket link').fill('https://tickets.example/7');
  await expectAccessible(page, 'mat-dialog-container');
  await shot(page, 'audit-01-generate-with-reason');
  await dialog(page).getByRole('button', { name: 'Generate' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(keyRow(page)).toContainText('CN=root,OU=JOC,O=JS7');
  const entries = await page.evaluate(async () => {
    const token = JSON.parse(sessionStorage.getItem('joc-keys.session') ?? '{}').token;
    const answer = await fetch('/joc/api/audit_log', {
      method: 'POST',
      headers: { 'X-Access-Token': token, 'Content-Type': 'application/json' },
      body: '{}',
    });
    return (await answer.json()).auditLog;
  });
  expect(entries[0]).toEqual(
    expect.objectContaining({
      request: './profile/key/generate',
      comment: 'Key rotation',
      timeSpent: 10,
      ticketLink: 'https://tickets.example/7',
    }),
  );
});
