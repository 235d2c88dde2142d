/**
 * The phone's own TEKs: lazy creation aligned to UTC midnight, 14-day retention, RPI/AEM per
 * interval, and release for upload (gaen.md §1, §5 last bullet).
 */
import { encryptAem } from '../../protocol/aem.js';
import {
  alignedRollingStart,
  enIntervalNumber,
  KEY_RETENTION_DAYS,
  TEK_ROLLING_PERIOD,
} from '../../protocol/interval.js';
import { deriveAemk, deriveRpik } from '../../protocol/key-derivation.js';
import { type BluetoothMetadata, encodeMetadata } from '../../protocol/metadata.js';
import { deriveRpi } from '../../protocol/rpi.js';
import { generateTek, type TemporaryExposureKey, tekCovers } from '../../protocol/tek.js';
import type { Advertisement, DiagnosisKeysOptions } from './types.js';

const RETENTION_INTERVALS = KEY_RETENTION_DAYS * TEK_ROLLING_PERIOD;
/** Keys the app gets besides today's: the previous 13 days (gaen.md §5; v1 iOS [D-ish]). */
const PREVIOUS_DAYS = 13;

interface OwnKey {
  key: TemporaryExposureKey;
  readonly rpik: Buffer;
  readonly aemk: Buffer;
  /** Released early for upload (today's key): never released or extended again. */
  released: boolean;
  cache?: Advertisement;
}

export class KeyStore {
  private keys: OwnKey[] = [];
  private readonly metadata: Buffer;

  constructor(
    private readonly random: (n: number) => Uint8Array,
    metadata: BluetoothMetadata,
  ) {
    this.metadata = encodeMetadata(metadata);
  }

  private add(key: TemporaryExposureKey): OwnKey {
    const own: OwnKey = {
      key,
      rpik: deriveRpik(key.keyData),
      aemk: deriveAemk(key.keyData),
      released: false,
    };
    this.keys.push(own);
    this.keys.sort((a, b) => a.key.rollingStartIntervalNumber - b.key.rollingStartIntervalNumber);
    return own;
  }

  /** Drops keys whose last interval is more than 14 days before `enin` (contactRecordDaysToKeep). */
  private prune(enin: number): void {
    const limit = alignedRollingStart(enin) - RETENTION_INTERVALS;
    this.keys = this.keys.filter((k) => k.key.rollingStartIntervalNumber + k.key.rollingPeriod > limit);
  }

  private current(enin: number, epochSeconds: number): OwnKey {
    // A released key finishes its last interval; after that only the new key of the day covers.
    const found = this.keys.find((k) => tekCovers(k.key, enin));
    if (found) return found;
    // None covers the interval: a new key aligned to UTC midnight, period 144 (gaen.md §1).
    return this.add({ ...generateTek(epochSeconds, this.random) });
  }

  advertisementAt(epochSeconds: number): Advertisement {
    const enin = enIntervalNumber(epochSeconds);
    this.prune(enin);
    const own = this.current(enin, epochSeconds);
    if (own.cache?.enin === enin) return own.cache;
    const rpi = deriveRpi(own.rpik, enin);
    own.cache = { rpi, aem: encryptAem(own.aemk, rpi, this.metadata), enin };
    return own.cache;
  }

  /**
   * Previous 13 days' keys; with includeCurrentDay also today's: the active key is released now with
   * rolling_period shortened to the intervals from its start through the current one, and the phone
   * goes on for the rest of the day with a new key. Both keys keep the same start interval (midnight)
   * "for backward compatibility", only the period is shortened (minvws/nl-covid19-notification-app-
   * coordination, architecture/Key Upload Process.md, "TEK reset upon retrieval"; Google's key server
   * docs, getting-started/publishing-temporary-exposure-keys.md, MAX_SAME_START_INTERVAL_KEYS: "Both
   * keys will have the same start interval"; cds-snc/covid-alert-server#158 shows such a pair, periods
   * 104 and 142). The new key's intervals before the release were never broadcast. A released key is
   * never used again once its period ends. OS keys carry transmission risk level 0 (cocoa.md §5
   * "Mechanics" 1).
   */
  getDiagnosisKeys(nowEpochSeconds: number, opts: DiagnosisKeysOptions = {}): TemporaryExposureKey[] {
    const enin = enIntervalNumber(nowEpochSeconds);
    this.prune(enin);
    const today = alignedRollingStart(enin);
    if (opts.includeCurrentDay) {
      const active = this.keys.find((k) => !k.released && tekCovers(k.key, enin));
      if (active && active.key.rollingStartIntervalNumber >= today) {
        const start = active.key.rollingStartIntervalNumber;
        active.key = { ...active.key, rollingPeriod: enin - start + 1 };
        active.released = true;
        if (enin + 1 < today + TEK_ROLLING_PERIOD) {
          const fresh = generateTek(nowEpochSeconds, this.random);
          this.add({ ...fresh, rollingStartIntervalNumber: start, rollingPeriod: TEK_ROLLING_PERIOD });
        }
      }
    }
    const from = today - PREVIOUS_DAYS * TEK_ROLLING_PERIOD;
    return this.keys
      .filter((k) => {
        const start = k.key.rollingStartIntervalNumber;
        if (start < from) return false;
        if (start < today) return true;
        // Today's keys: only released (shortened) ones, and only when asked.
        return opts.includeCurrentDay === true && k.released;
      })
      .map((k) => ({ ...k.key, transmissionRiskLevel: 0 }));
  }

  list(): readonly TemporaryExposureKey[] {
    return this.keys.map((k) => k.key);
  }
}
