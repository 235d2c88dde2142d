/**
 * A sender expectation (`expect: { a: { upload: retryable } }`): what the app told the user at each of
 * the phone's uploads, judged at the upload link on the phone's own upload evidence. The other links
 * are about a receiver and are not judged here.
 */
import type { UploadOutcome } from '../devices/apps/submission-outcome.js';
import type { DeviceProfile } from '../devices/types.js';
import type { PlannedExpectation } from '../scenario/plan.js';
import type { Ev } from './links.js';
import { CHAIN_LINKS, type LinkResult, type PhoneChain } from './results.js';
import type { Trace } from './trace.js';

const NOT_JUDGED = {
  en: 'not judged: a sender expectation judges the upload link only',
  ja: '判定対象外: 送信者の期待は送信リンクのみを判定する',
} as const;

/** The upload link of a sender: its uploads' outcomes, in order, against the expected ones. */
export function judgeSenderUpload(
  uploads: readonly Ev<'upload'>[],
  sender: string,
  expected: readonly string[],
): LinkResult {
  const got = uploads.map((u) => u.evidence.outcome);
  const said = uploads.map(
    (u) => `HTTP ${u.evidence.httpStatus ?? 'none'} "${u.evidence.appMessage}" → ${u.evidence.outcome}`,
  );
  const ok = got.length === expected.length && got.every((o, i) => o === expected[i]);
  const want = expected.join(', then ');
  const seen = said.join('; ') || 'no upload';
  const evidence = {
    expected,
    outcomes: got,
    httpStatuses: uploads.map((u) => u.evidence.httpStatus),
    messages: uploads.map((u) => u.evidence.appMessage),
  };
  return ok
    ? {
        name: 'upload',
        status: 'passed',
        detail: `${sender}'s app told the user ${want} as expected: ${seen}`,
        text: {
          en: `${sender}'s app told the user ${want} as expected: ${seen}`,
          ja: `${sender} のアプリは期待どおり ${want} と利用者に示した: ${seen}`,
        },
        evidence,
      }
    : {
        name: 'upload',
        status: 'failed',
        detail: `${sender}'s uploads: expected ${want}, got ${got.join(', then ') || 'no upload'}: ${seen}`,
        text: {
          en: `${sender}'s uploads: expected ${want}, got ${got.join(', then ') || 'no upload'}: ${seen}`,
          ja: `${sender} の送信: 期待 ${want}、実際 ${got.join('、次に ') || '送信なし'}: ${seen}`,
        },
        evidence,
      };
}

export function senderChain(
  trace: Trace,
  profile: DeviceProfile,
  expectation: PlannedExpectation & { readonly upload: readonly UploadOutcome[] },
): PhoneChain {
  const uploads = trace.filter((e): e is Ev<'upload'> => e.link === 'upload' && e.who === profile.id);
  const upload = judgeSenderUpload(uploads, profile.id, expectation.upload);
  const links = CHAIN_LINKS.map(
    (name): LinkResult =>
      name === 'upload' ? upload : { name, status: 'skipped', detail: NOT_JUDGED.en, text: NOT_JUDGED },
  );
  return {
    phone: profile.id,
    platform: profile.platform,
    app: profile.app,
    osVersion: profile.osVersion,
    sender: profile.id,
    expectedNotified: false,
    expectedBrokenLinks: [],
    expectedUpload: expectation.upload,
    notified: trace.some((e) => e.link === 'detection' && e.who === profile.id && e.evidence.notify.notified),
    links,
    firstBrokenLink: upload.status === 'failed' ? 'upload' : null,
  };
}
