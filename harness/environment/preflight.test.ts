import { describe, expect, it } from 'vitest';
import { EnvironmentError } from './errors.js';
import { type Checks, preflight } from './preflight.js';

function recording(overrides: Partial<Checks> = {}) {
  const called: string[] = [];
  const answer = (piece: string, found?: string) => async () => {
    called.push(piece);
    return found;
  };
  const checks: Checks = {
    chromium: answer('chromium', 'Chromium 143 (system: /usr/bin/chromium)'),
    font: answer('font'),
    docker: answer('docker'),
    ...overrides,
  };
  return { called, checks };
}

describe('preflight', () => {
  it('checks only what the run needs and names the browser it found', async () => {
    const { called, checks } = recording();
    expect(await preflight({ browser: false, font: true, docker: false }, checks)).toEqual({});
    expect(called).toEqual(['font']);
    const found = await preflight({ browser: true, font: false, docker: true }, checks);
    expect(found).toEqual({ browser: 'Chromium 143 (system: /usr/bin/chromium)' });
    expect(called).toEqual(['font', 'docker', 'chromium']);
  });

  it('stops at the first missing piece with its one-line error', async () => {
    const { called, checks } = recording({
      docker: async () => {
        throw new EnvironmentError('docker', 'Docker engine not running (container target): start one');
      },
    });
    await expect(preflight({ browser: true, font: true, docker: true }, checks)).rejects.toMatchObject({
      piece: 'docker',
      message: expect.stringMatching(/^Docker engine not running/),
    });
    expect(called).toEqual(['font']); // the browser is not looked for after the run is already stopped
  });

  it('the real font check finds the npm fonts of the report', async () => {
    const { reportFontsUnavailable } = await import('../report/html/fonts.js');
    expect(reportFontsUnavailable()).toBeUndefined();
  });
});
