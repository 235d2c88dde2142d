import { describe, expect, it } from 'vitest';
import {
  sampleAndroidBrokenRun,
  sampleInterruptedRun,
  samplePassingRun,
  sampleSweepRun,
} from '../fixtures/index.js';
import { dayOffset } from './charts.js';
import { esc, renderHtml } from './render.js';

const broken = renderHtml(sampleAndroidBrokenRun);

describe('HTML report (markup)', () => {
  it('is self-contained: no external scripts, styles, images or fonts', () => {
    for (const html of [broken, renderHtml(sampleSweepRun)]) {
      expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
      expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
      expect(html).not.toMatch(/@import/);
    }
  });

  it('states the verdict per platform and app build, Japanese and English', () => {
    expect(broken).toContain('data-platform="android" data-app="cocoa-1.1.4" data-reaches="false"');
    expect(broken).toContain('data-platform="ios" data-app="cocoa-1.1.4" data-reaches="true"');
    expect(broken).toContain('<span lang="ja">通知がAndroidに届く ✘（cocoa-1.1.4）</span>');
    expect(broken).toContain('<span lang="en">Notifications reach iOS ✔ (cocoa-1.1.4)</span>');
    expect(renderHtml(samplePassingRun)).not.toContain('data-reaches="false"');
  });

  it("names each receiving phone's OS, app and the EN path its checks took", () => {
    expect(broken).toContain('11, cocoa-1.1.4 (EN v1)');
  });

  it('says "not finished" for an interrupted run and lists the cells not run with their reason', () => {
    const html = renderHtml(sampleInterruptedRun);
    expect(html).toContain('class="verdict-item not-finished" data-platform="android"');
    expect(html).toContain('<span lang="ja">通知がAndroidに届くか 未完了（cocoa-1.2.2）</span>');
    expect(html).not.toContain('✘');
    expect(html).toContain('data-run-status="interrupted"');
    expect(html).toContain('<details class="not-run" data-not-run="4">');
    expect(html.match(/data-reason="not-started"/g)).toHaveLength(3);
    expect(html.match(/data-reason="cut-short"/g)).toHaveLength(1);
  });

  it('draws eight links per receiving phone and marks only the first broken one', () => {
    const chains = broken.match(/<ol class="chain"/g) ?? [];
    const phones = sampleAndroidBrokenRun.scenarios.flatMap((s) => s.cells.flatMap((c) => c.phones));
    expect(chains).toHaveLength(phones.length);
    expect(broken.match(/class="link [^"]*"/g)).toHaveLength(phones.length * 8);
    expect(broken.match(/first-broken/g)).toHaveLength(1);
    expect(broken).toMatch(/class="link failed first-broken" data-link="score"/);
  });

  it('draws charts with echarts as inline SVG: a timeline per scenario and a map per swept platform', () => {
    const sweep = renderHtml(sampleSweepRun);
    // two languages × (1 timeline + 2 sweep maps)
    expect(sweep.match(/<svg /g)).toHaveLength(6);
    expect(sweep).toContain(
      'data-platform="android" data-app="cocoa-1.1.4" data-notified="0" data-points="20"',
    );
    expect(sweep).toContain('data-platform="ios" data-app="cocoa-1.1.4" data-notified="4" data-points="20"');
    expect(sweep).toContain('基準 1 m・15分');
    expect(broken).not.toContain('class="sweep-map"');
  });

  it('shows the run metadata with the reproducing command', () => {
    expect(broken).toContain(
      '<code class="command">ichiren run scenarios/policy.yaml scenarios/processing-numbers.yaml --release cocoa-1.1.4 --seed 20210218</code>',
    );
    expect(broken).toContain('embedded: reference server (in-process, PGlite)');
  });

  it('escapes text taken from the run', () => {
    const s = sampleAndroidBrokenRun.scenarios[0];
    const html = renderHtml({
      ...sampleAndroidBrokenRun,
      scenarios: [{ ...s, title: { ja: '<script>alert(1)</script>', en: 'a & b' } }],
    });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(esc(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('reads relative day labels for the timeline axis', () => {
    expect(dayOffset('day -5 10:00')).toBeCloseTo(-5 + 10 / 24);
    expect(dayOffset('day 0')).toBe(0);
    expect(dayOffset('2026-11-22')).toBeNull();
  });

  it("states the run's error rate under the comparison when it judged rates, in both languages", () => {
    const errorRates = {
      familyAlpha: 0.01,
      correction: 'holm' as const,
      tests: 5,
      text: { ja: '統計的な期待 5 件を Holm 法で 1% に', en: '5 statistical test(s) held together at 1%' },
    };
    const html = renderHtml({ ...samplePassingRun, errorRates });
    expect(html).toMatch(
      /<p class="error-rates" data-family-alpha="0.01" data-tests="5">.*統計的な期待 5 件.*5 statistical test\(s\) held together at 1%/,
    );
    expect(renderHtml(samplePassingRun)).not.toContain('class="error-rates"');
  });
});
