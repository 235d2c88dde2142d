import { describe, expect, it } from 'vitest';
import type { DeviceProfile } from '../devices/types.js';
import { phoneChain } from './evaluate.js';
import { contactEvidence, detectionEvidence, uploadEvidence } from './testing.js';
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
  files: [{ url: 'http://x/c19r/440/1.zip', keyCount: 4, batchNum: 1 }],
  detail: '1 file',
};

function trace(
  over: {
    sightings?: number;
    upload?: boolean;
    published?: boolean;
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
  t.push({
    link: 'upload',
    at: 3,
    label: 'now',
    who: 'a',
    number: 'issued',
    evidence: uploadEvidence(over.upload ?? true),
  });
  if (over.published ?? true) t.push({ link: 'publish', at: 4, label: 'now', outcome: publishOk });
  if (over.detection !== null)
    t.push({
      link: 'detection',
      at: 5,
      label: 'now',
      who: 'b',
      forced: true,
      evidence: detectionEvidence(over.detection ?? {}),
    });
  return t;
}
const statuses = (c: ReturnType<typeof phoneChain>) => c.links.map((l) => l.status[0]).join('');

describe('phoneChain', () => {
  it('passes every link when the receiver was notified as expected', () => {
    const c = phoneChain(trace(), B, { phone: 'b', notified: true });
    expect(statuses(c)).toBe('pppppppp');
    expect(c.firstBrokenLink).toBeNull();
    expect(c.notified).toBe(true);
  });

  it('names score as the first broken link when the risk stays below the threshold (the 1.1.4 shape)', () => {
    const c = phoneChain(trace({ detection: { score: 8 } }), B, { phone: 'b', notified: true });
    expect(c.firstBrokenLink).toBe('score');
    expect(statuses(c)).toBe('ppppppfs');
    expect(c.links[6]?.detail).toBe('v1 score 8 < threshold 21: synthetic');
    expect(c.links[6]?.text.ja).toContain('8 < 閾値 21');
  });

  it('marks the expected break of a negative case as expected-failure', () => {
    const c = phoneChain(trace({ upload: false }), B, { phone: 'b', notified: false, brokenLink: 'upload' });
    expect(statuses(c)).toBe('ppesssss');
    expect(c.firstBrokenLink).toBeNull();
    expect(c.links[2]?.detail).toContain('HTTP 406');
  });

  it('fails a negative case whose named link worked', () => {
    const c = phoneChain(trace(), B, { phone: 'b', notified: false, brokenLink: 'score' });
    expect(c.firstBrokenLink).toBe('score');
    expect(c.links[6]?.detail).toMatch(/expected this link to break$/);
  });

  it('fails a negative case that broke earlier than the link it names', () => {
    const c = phoneChain(trace({ published: false }), B, {
      phone: 'b',
      notified: false,
      brokenLink: 'score',
    });
    expect(c.firstBrokenLink).toBe('publish');
  });

  it('fails the notify link when a phone expected not to be notified was', () => {
    const c = phoneChain(trace(), B, { phone: 'b', notified: false });
    expect(c.firstBrokenLink).toBe('notify');
  });

  it('breaks at contact for a phone that met nobody', () => {
    const c = phoneChain(trace({ met: '' }), B, { phone: 'b', notified: false, brokenLink: 'contact' });
    expect(statuses(c)).toBe('esssssss');
    expect(c.links[0]?.detail).toBe('b met no other phone');
  });

  it('breaks at diagnosis when the receiver met only an undiagnosed phone', () => {
    const c = phoneChain(trace({ met: 'c' }), B, { phone: 'b', notified: true });
    expect(c.firstBrokenLink).toBe('diagnosis');
  });

  it('breaks at download when the check never ran', () => {
    const c = phoneChain(trace({ detection: { ran: false } }), B, { phone: 'b', notified: true });
    expect(c.firstBrokenLink).toBe('download');
    expect(c.links[4]?.detail).toContain('background check disabled');
  });

  it('breaks at download when no check happened at all', () => {
    const c = phoneChain(trace({ detection: null }), B, { phone: 'b', notified: true });
    expect(c.firstBrokenLink).toBe('download');
  });

  it('fails notify when the notification came after "by"', () => {
    const c = phoneChain(trace(), B, {
      phone: 'b',
      notified: true,
      byEpochSeconds: 4,
      byLabel: 'day -1 00:00',
    });
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
    const c = phoneChain(t, B, { phone: 'b', notified: true });
    expect(c.firstBrokenLink).toBe('score');
    expect(c.links[6]?.detail).toContain('score 8 < threshold 21');
  });

  it('never fails an "any" expectation', () => {
    for (const det of [{}, { score: 3 }, { matched: 0 }]) {
      const c = phoneChain(trace({ detection: det }), B, { phone: 'b', notified: 'any' });
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
    const c = phoneChain(t, B, { phone: 'b', notified: false, brokenLink: 'contact' });
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
