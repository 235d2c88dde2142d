import { describe, expect, it } from 'vitest';
import { launchChromium } from '../../harness/browser/chromium.js';
import { startHerSysStub } from './stub.js';
import { postVerify } from './testing/conformance.js';
import { issueNumberViaWebScreen } from './web-screen-driver.js';

describe('health-centre screen (real Chromium)', () => {
  it('issues a number through the screen that verifies OK once, then ALREADY_USED', async () => {
    await using stub = await startHerSysStub({ seed: 21 });
    const number = await issueNumberViaWebScreen(stub.url, stub.controlToken, {
      testDate: '2020-09-28',
      symptomOnsetDate: '2020-09-25',
      testType: 'antigen',
    });
    expect(number).toMatch(/^\d{8}$/);
    const first = await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber: number }));
    expect(await first.json()).toEqual({
      result: 'OK',
      testDate: '2020-09-28',
      symptomOnsetDate: '2020-09-25',
      hasSymptom: true,
      testType: 'antigen',
    });
    const again = await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber: number }));
    expect(await again.json()).toEqual({ result: 'ALREADY_USED' });
  });

  it('logs in with the login field and shows each number with its state in the table', async () => {
    await using stub = await startHerSysStub({ seed: 22 });
    const used = await stub.client.registerPatient({ testDate: '2020-10-01' });
    const revoked = await stub.client.registerPatient({ testDate: '2020-10-01' });
    await postVerify(stub.verifyUrl, JSON.stringify({ processingNumber: used.processingNumber }));
    await stub.client.revoke({ processingNumber: revoked.processingNumber });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${stub.url}/`);
      await page.fill('#token', 'wrong');
      await page.click('#login');
      await expect.poll(() => page.textContent('#error')).toMatch(/login failed/);
      await page.fill('#token', stub.controlToken);
      await page.click('#login');
      const row = (n: string) => page.locator(`#numbers tr[data-number="${n}"]`);
      await row(used.processingNumber).waitFor();
      expect(await row(used.processingNumber).getAttribute('data-state')).toBe('used');
      expect(await row(revoked.processingNumber).getAttribute('data-state')).toBe('revoked');
      expect(await row(used.processingNumber).textContent()).toContain(used.patient.name);
    } finally {
      await browser.close();
    }
  });

  it('shows only the newest 50 numbers, so issuing stays fast however many the stub holds', async () => {
    await using stub = await startHerSysStub({ seed: 23 });
    for (let i = 0; i < 60; i++) await stub.client.registerPatient({ testDate: '2020-10-01' });
    const browser = await launchChromium();
    try {
      const number = await issueNumberViaWebScreen(stub.url, stub.controlToken, {}, { browser });
      const page = await browser.newPage();
      await page.goto(`${stub.url}/?token=${stub.controlToken}`);
      await page.locator(`#numbers tr[data-number="${number}"]`).waitFor();
      expect(await page.locator('#numbers tbody tr').count()).toBe(50);
      expect(await page.locator('#numbers-shown').textContent()).toContain('newest 50 of 61');
      // The newest first: the number just issued heads the table.
      expect(await page.locator('#numbers tbody tr').first().getAttribute('data-number')).toBe(number);
    } finally {
      await browser.close();
    }
  });

  it('fails with the reason when the token is wrong', async () => {
    await using stub = await startHerSysStub();
    await expect(issueNumberViaWebScreen(stub.url, 'wrong', {}, { timeoutMs: 10_000 })).rejects.toThrow(
      /Bearer/,
    );
  });
});
