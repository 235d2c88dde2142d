import type { Browser } from 'playwright';
import { launchChromium } from '../../harness/browser/chromium.js';
import type { RegisterPatientRequest } from './types.js';

export type WebScreenPatient = RegisterPatientRequest;

export class WebScreenError extends Error {
  readonly code = 'HERSYS_WEB_SCREEN';
}

/**
 * Registers a patient through the health-centre screen in a real browser and returns the number the
 * page shows. Uses the run's Chromium (harness/browser/chromium.ts); a caller
 * issuing many numbers passes its own `browser`, and each call then gets a fresh context in it.
 */
export async function issueNumberViaWebScreen(
  stubUrl: string,
  token: string,
  patient: WebScreenPatient = {},
  options: { executablePath?: string; timeoutMs?: number; browser?: Browser } = {},
): Promise<string> {
  const browser = options.browser ?? (await launchChromium(options.executablePath));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs ?? 15_000);
    const url = new URL('/', stubUrl);
    url.searchParams.set('token', token);
    await page.goto(url.toString());
    if (patient.testDate) await page.fill('#testDate', patient.testDate);
    await page.fill('#symptomOnsetDate', patient.symptomOnsetDate ?? '');
    await page.selectOption('#testType', patient.testType ?? 'PCR');
    await page.click('#issue');
    const issued = page.locator('#issued-number');
    const error = page.locator('#error');
    await Promise.race([
      issued.filter({ hasText: /^\d{8}$/ }).waitFor(),
      error.filter({ hasText: /./ }).waitFor(),
    ]);
    const number = (await issued.textContent())?.trim() ?? '';
    if (!/^\d{8}$/.test(number)) {
      throw new WebScreenError(
        `the screen issued no number: ${(await error.textContent())?.trim() || 'empty'}`,
      );
    }
    return number;
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}
