import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../devices/types.js';
import type { PlannedExpectation } from '../scenario/plan.js';
import { phoneChain } from './evaluate.js';
import { CONTACT_KEY, contactEvidence, detectionEvidence, listing, uploadEvidence } from './testing.js';
import type { TraceEvent } from './trace.js';

const B: DeviceProfile = {
  id: 'b',
  platform: 'android',
  osVersion: '11',
  enVersion: 1,
  model: 'Pixel 4',
  app: 'cocoa-1.2.2',
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
};
const publishOk = {
  ok: true,
  files: [{ url: 'http://x/c19r/440/2.zip', keyCount: 4, batchNum: 2 }],
  detail: '1 file',
};
const expect_ = (
  e: Partial<PlannedExpectation> & Pick<PlannedExpectation, 'notified'>,
): PlannedExpectation => ({
  phone: 'b',
  platform: 'android',
  app: 'cocoa-1.2.2',
  osVersion: '11',
  ...e,
});

function trace(
  over: {
    sightings?: number;
    upload?: boolean | 'without-contact-key' | 'no-keys';
    published?: boolean;
    listed?: boolean;
    fetched?: boolean;
    detection?: Parameters<typeof detectionEvidence>[0] | null;
    met?: string;
  } = {},
): TraceEvent[] {
  const t: TraceEvent[] = [];
  if (over.met !== '')
    t.push({
      link: 'contact',
      at: 1,
      label: 'day -3 12:00',
      evidence: contactEvidence(over.met ?? 'a', 'b', over.sightings ?? 12),
    });
  t.push({
    link: 'diagnosis',
    at: 2,
    label: 'day -1 10:00',
    patient: 'a',
    ok: true,
    processingNumber: '12345678',
    via: 'api',
  });
  const up = uploadEvidence(over.upload !== false);
  t.push({
    link: 'upload',
    at: 3,
    label: 'now',
    who: 'a',
    number: 'issued',
    evidence:
      over.upload === 'no-keys'
        ? { ...up, keysSubmitted: 0, keys: [] }
        : over.upload === 'without-contact-key'
          ? { ...up, keys: up.keys.filter((k) => k.hash !== CONTACT_KEY.hash) }
          : up,
  });
  if (over.published ?? true) t.push({ link: 'publish', at: 4, label: 'now', outcome: publishOk });
  if (over.detection !== null) {
    t.push({ link: 'listing', at: 5, label: 'now', before: 'b', listing: listing(over.listed ?? true) });
    const d = detectionEvidence(over.detection ?? {});
    t.push({
      link: 'detection',
      at: 5,
      label: 'now',
      who: 'b',
      forced: true,
      evidence:
        over.fetched === false ? { ...d, download: { ...d.download, filesFetched: 0, files: [] } } : d,
    });
  }
  return t;
}
const statuses = (c: ReturnType<typeof phoneChain>) => c.links.map((l) => l.status[0]).join('');
const link = (c: ReturnType<typeof phoneChain>, name: string) => c.links.find((l) => l.name === name);

describe('phoneChain: links along the contact key', () => {
  it('passes every link when the contact key travels the whole chain, naming key, file and sender', () => {
    const c = phoneChain(trace(), B, expect_({ notified: true }));
    expect(statuses(c)).toBe('pppppppp');
    expect(c.sender).toBe('a');
    expect(c.osVersion).toBe('11');
    expect(c.enPath).toBe('v1');
    expect(link(c, 'contact')?.detail).toContain('2026-11-27 #c0ffee01');
    expect(link(c, 'publish')?.detail).toContain('2.zip (batch 2)');
    expect(link(c, 'download')?.detail).toContain('fetched and verified 2.zip');
    expect(link(c, 'score')?.detail).toContain('score 28 ≥ threshold 21');
  });

  it('breaks at upload when the server acknowledged 0 keys', () => {
    const c = phoneChain(trace({ upload: 'no-keys' }), B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('upload');
    expect(link(c, 'upload')?.detail).toMatch(/0 keys.*#c0ffee01 was not sent/);
  });

  it("breaks at upload when the contact's key was not among the keys sent", () => {
    const c = phoneChain(trace({ upload: 'without-contact-key' }), B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('upload');
    expect(link(c, 'upload')?.detail).toContain('1 of the contact');
  });

  it('breaks at publish when no listed export holds the key, and says when no batch ran', () => {
    const c = phoneChain(trace({ listed: false }), B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('publish');
    expect(link(c, 'publish')?.detail).toContain('1 of the contact');
    const none = phoneChain(trace({ listed: false, published: false }), B, expect_({ notified: true }));
    expect(link(none, 'publish')?.detail).toContain('no export batch ran after the upload');
  });

  it('breaks at download when the phone did not fetch the listed file holding the key (nothing new is no pass)', () => {
    const c = phoneChain(trace({ fetched: false }), B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('download');
    expect(link(c, 'download')?.detail).toContain('did not fetch 2.zip (batch 2)');
  });

  it('breaks at download when the OS skipped the fetched file as a duplicate header (Android)', () => {
    const t = trace().map((e) =>
      e.link === 'detection'
        ? {
            ...e,
            evidence: {
              ...e.evidence,
              download: {
                ...e.evidence.download,
                files: e.evidence.download.files.map((f) =>
                  f.url.endsWith('/2.zip')
                    ? { ...f, verified: false, rejectedAs: 'EXPORT_DUPLICATE_HEADER' }
                    : f,
                ),
              },
            },
          }
        : e,
    );
    const c = phoneChain(t, B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('download');
    expect(link(c, 'download')?.detail).toMatch(/fetched 2\.zip \(batch 2\), but the OS skipped it/);
    expect(link(c, 'download')?.evidence).toMatchObject({ skippedAsDuplicate: ['2.zip'] });
  });

  it('breaks at download when the check did not run', () => {
    const c = phoneChain(trace({ detection: { ran: false } }), B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('download');
    expect(link(c, 'download')?.detail).toContain('did not run');
    // No check ran, so no EN path was taken: the field is absent rather than guessed.
    expect(c.enPath).toBeUndefined();
  });

  it('breaks at notify when the decision passed but no notification was shown', () => {
    const c = phoneChain(trace({ detection: { notified: false } }), B, expect_({ notified: true }));
    expect(statuses(c)).toBe('pppppppf');
  });

  it('takes the comparison sign from the values', () => {
    const c = phoneChain(trace({ detection: { score: 8 } }), B, expect_({ notified: true }));
    expect(link(c, 'score')?.detail).toContain('score 8 < threshold 21');
  });

  it('breaks at contact when the receiver met nobody', () => {
    const c = phoneChain(
      trace({ met: '', detection: { matched: 0 } }),
      B,
      expect_({ notified: false, brokenLinks: ['contact'] }),
    );
    expect(statuses(c)).toBe('esssssss');
    expect(c.links[0]?.status).toBe('expected-failure');
    expect(c.sender).toBeNull();
  });

  it('follows the sender whose chain got furthest', () => {
    const t = trace();
    t.unshift({ link: 'contact', at: 0, label: 'day -4 12:00', evidence: contactEvidence('c', 'b') });
    const c = phoneChain(t, B, expect_({ notified: true }));
    expect(c.sender).toBe('a');
    expect(c.firstBrokenLink).toBeNull();
  });
});

describe('phoneChain: negative expectations', () => {
  it('expects the break at the named link', () => {
    const c = phoneChain(
      trace({ upload: false, detection: { matched: 0 } }),
      B,
      expect_({ notified: false, brokenLinks: ['upload'] }),
    );
    expect(statuses(c)).toBe('ppesssss');
    expect(c.firstBrokenLink).toBeNull();
  });

  it('reads "held; expected a break here" when the named link held', () => {
    const c = phoneChain(
      trace({ detection: { score: 14 } }),
      B,
      expect_({ notified: false, brokenLinks: ['upload'] }),
    );
    expect(statuses(c)).toBe('ppfsssss');
    expect(link(c, 'upload')?.detail).toMatch(/^upload held; expected a break here: /);
    expect(link(c, 'upload')?.text.ja).toContain('ここで途切れるはずだった');
  });

  it('fails a break at a link other than the named ones', () => {
    const c = phoneChain(trace({ upload: false }), B, expect_({ notified: false, brokenLinks: ['score'] }));
    expect(c.firstBrokenLink).toBe('upload');
    expect(link(c, 'upload')?.detail).toContain('expected a break at score');
  });

  it('accepts a break at any link of a list, and marks the last listed one when all held', () => {
    const ok = phoneChain(
      trace({ detection: { score: 3 } }),
      B,
      expect_({ notified: false, brokenLinks: ['contact', 'score'] }),
    );
    expect(statuses(ok)).toBe('ppppppes');
    const held = phoneChain(trace(), B, expect_({ notified: false, brokenLinks: ['contact', 'score'] }));
    expect(held.firstBrokenLink).toBe('score');
    expect(link(held, 'score')?.detail).toContain('held; expected a break here');
  });

  it('fails notify when the notification came after "by"', () => {
    const c = phoneChain(trace(), B, expect_({ notified: true, byEpochSeconds: 4, byLabel: 'day -1 00:00' }));
    expect(c.firstBrokenLink).toBe('notify');
  });

  it('judges the check that got furthest when none notified, not merely the last one', () => {
    const t = trace({ detection: { score: 8 } });
    // A second check after a second export finds no new file and matches nothing.
    t.push({
      link: 'detection',
      at: 6,
      label: 'now',
      who: 'b',
      forced: true,
      evidence: detectionEvidence({ matched: 0 }),
    });
    const c = phoneChain(t, B, expect_({ notified: true }));
    expect(c.firstBrokenLink).toBe('score');
  });

  it('never fails an "any" expectation', () => {
    for (const det of [{}, { score: 3 }, { matched: 0 }]) {
      const c = phoneChain(trace({ detection: det }), B, expect_({ notified: 'any' }));
      expect(c.firstBrokenLink).toBeNull();
    }
  });

  it('states the radio behind the contact: adverts below sensitivity, table calibration against true hardware', () => {
    const t = trace({ sightings: 0 });
    const first = t[0];
    if (first?.link !== 'contact') throw new Error('trace starts with the contact');
    t[0] = {
      ...first,
      evidence: {
        ...first.evidence,
        lostAtB: 120,
        calibrationAtB: {
          senderModel: 'Pixel 4',
          receiverModel: 'SM-A205F',
          advertisedTxDbm: -30,
          trueTxDbm: -30,
          tableCorrectionDb: 6,
          correctionMatchedBy: 'fleet',
          trueOffsetDb: 23,
          attenuationErrorDb: 17,
        },
      },
    };
    const c = phoneChain(t, B, expect_({ notified: false, brokenLinks: ['contact'] }));
    const contact = c.links[0];
    expect(contact?.status).toBe('expected-failure');
    expect(contact?.detail).toContain("120 advertisements arrived below the receiver's sensitivity");
    expect(contact?.detail).toContain(
      "SM-A205F adds the table's +6 dB (matched by fleet) but truly reads 23 dB low",
    );
    expect(contact?.detail).toContain('attenuation = path loss +17 dB');
    expect(contact?.text.ja).toContain('受信感度未満');
  });
});

describe('phoneChain: notifications judged in both directions', () => {
  const again = (t: TraceEvent[], d: Parameters<typeof detectionEvidence>[0], label = 'now +1h') => {
    t.push({ link: 'detection', at: 6, label, who: 'b', forced: false, evidence: detectionEvidence(d) });
    return t;
  };

  it('fails a phone expected not to be notified at score when the decision said notify', () => {
    const c = phoneChain(trace(), B, expect_({ notified: false, brokenLinks: ['score'] }));
    expect(statuses(c)).toBe('ppppppfs');
    expect(c.firstBrokenLink).toBe('score');
    expect(link(c, 'score')?.detail).toMatch(/held; expected a break here: .*; notified 1 time \(now\)$/);
    expect(link(c, 'score')?.evidence).toMatchObject({ notifications: 1, value: 28, decided: true });
    // The chain broke earlier as expected, yet the app decided to notify: score let it through.
    const early = phoneChain(
      trace({ upload: false }),
      B,
      expect_({ notified: false, brokenLinks: ['upload'] }),
    );
    expect(statuses(early)).toBe('ppesssfs');
    expect(link(early, 'score')?.detail).toMatch(/score 28 ≥ threshold 21, the app's decision said notify/);
  });

  it('fails it at notify when the decision said no but a notification was shown', () => {
    const c = phoneChain(
      trace({ detection: { score: 14, notified: true } }),
      B,
      expect_({ notified: false, brokenLinks: ['score'] }),
    );
    expect(statuses(c)).toBe('ppppppef');
    expect(c.firstBrokenLink).toBe('notify');
    expect(link(c, 'notify')?.detail).toMatch(
      /although the app's decision said no \(v1 score 14 < threshold 21\)/,
    );
    expect(link(c, 'notify')?.text.ja).toContain('通知されないはずだった');
  });

  it('keeps a negative phone that saw no notification as it was', () => {
    const c = phoneChain(
      trace({ detection: { score: 14 } }),
      B,
      expect_({ notified: false, brokenLinks: ['score'] }),
    );
    expect(statuses(c)).toBe('ppppppes');
    expect(c.notifications).toBe(0);
  });

  it('allows one notification per exposure day by default and fails a repeat at notify', () => {
    const once = phoneChain(again(trace(), { matched: 0, notified: false }), B, expect_({ notified: true }));
    expect(once.firstBrokenLink).toBeNull();
    expect(once.allowedNotifications).toBe('<= 1');
    const twice = phoneChain(again(trace(), { matched: 0, notified: true }), B, expect_({ notified: true }));
    expect(twice.notifications).toBe(2);
    expect(twice.firstBrokenLink).toBe('notify');
    expect(link(twice, 'notify')?.detail).toMatch(
      /notified 2 times \(now, now \+1h\); the scenario allows at most 1 \(one per exposure day; 1 exposure day\(s\)\)/,
    );
  });

  it('judges a declared count: exactly, or at most', () => {
    const exactly = (n: number) => expect_({ notified: true, notifications: { op: '=', count: n } });
    const t = () => again(trace(), { matched: 0, notified: true });
    expect(phoneChain(t(), B, exactly(2)).firstBrokenLink).toBeNull();
    expect(phoneChain(t(), B, exactly(3)).firstBrokenLink).toBe('notify');
    expect(
      phoneChain(t(), B, expect_({ notified: true, notifications: { op: '<=', count: 2 } })).firstBrokenLink,
    ).toBeNull();
  });
});
