/**
 * The simulated world: phones and the radio between them, on the simulated clock. Every random draw
 * is a function of the world seed, the phone ids and the encounter's index (seeded, reproducible).
 */
import { type KeyRef, keyRef } from '../protocol/key-ref.js';
import { tekCovers } from '../protocol/tek.js';
import type { VerificationPublicKey } from '../stack/types.js';
import type { AppBuild } from './apps/types.js';
import { type CalibrationTable, loadCalibrationTable, lookupCalibration } from './calibration/index.js';
import { createFramework } from './framework/index.js';
import type { ModelDraw } from './framework/types.js';
import { Phone } from './phone.js';
import {
  type Advertiser,
  calibrationErrorDb,
  type Listener,
  seededBytes,
  seededRng,
  simulateLink,
  trueHardware,
} from './radio/index.js';
import { scriptedSightings } from './scripted-scans.js';
import type { Sighting } from './sighting.js';
import type { CalibrationEvidence, ContactEvidence, DeviceProfile, EncounterSpec } from './types.js';

export interface WorldOptions {
  readonly seed: number;
  /** Defaults to ichiren's fixture table (fixtures/calibration/en-calibration.csv). */
  readonly calibration?: CalibrationTable;
  /** Resolves each phone's app build (default: built-in builds and module paths); `ichiren audit` wraps it. */
  readonly resolveApp?: (id: string) => Promise<AppBuild>;
}

export class WorldError extends Error {
  constructor(
    readonly code: 'PHONE_DUPLICATE' | 'PHONE_UNKNOWN' | 'ENCOUNTER_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'WorldError';
  }
}

type Stats = ContactEvidence['attenuationAtB'];

function stats(sightings: readonly Sighting[], senderTx: number): Stats {
  if (sightings.length === 0) return null;
  const att = sightings.map((s) => senderTx - s.rssi);
  return {
    min: Math.min(...att),
    mean: Math.round((att.reduce((a, b) => a + b, 0) / att.length) * 10) / 10,
    max: Math.max(...att),
  };
}

const distinct = (sightings: readonly Sighting[]): number =>
  new Set(sightings.map((s) => Buffer.from(s.rpi).toString('hex'))).size;

/** The sender as the radio sees it: its AEM carries the table's tx, its hardware has its own. */
const advertiser = (p: Phone): Advertiser => ({
  advertisementAt: (t) => p.framework.advertisementAt(t),
  advertisedTxPower: p.calibration.txPower,
  trueTxPower: p.hardware.txPowerDbm,
  radiatedPowerDbm: p.hardware.radiatedPowerDbm,
  clockSkewSeconds: p.profile.clockSkewSeconds,
});

/** The receiver: its OS adds the table's correction for its own model; its chipset reads its true offset low. */
const listener = (p: Phone): Listener => ({
  platform: p.profile.platform,
  rssiCorrection: p.calibration.rssiCorrection,
  trueRssiOffset: p.hardware.rssiOffsetDb,
  sensitivityDbm: p.hardware.sensitivityDbm,
  clockSkewSeconds: p.profile.clockSkewSeconds,
});

function calibrationEvidence(
  sender: Phone,
  receiver: Phone,
  tx: Advertiser,
  rx: Listener,
): CalibrationEvidence {
  return {
    senderModel: sender.profile.model,
    receiverModel: receiver.profile.model,
    advertisedTxDbm: tx.advertisedTxPower,
    trueTxDbm: tx.trueTxPower,
    tableCorrectionDb: rx.rssiCorrection,
    correctionMatchedBy: receiver.calibration.matchedBy,
    trueOffsetDb: rx.trueRssiOffset,
    attenuationErrorDb: calibrationErrorDb(tx, rx),
  };
}

export class World {
  readonly seed: number;
  private readonly table: CalibrationTable;
  private readonly resolveApp?: (id: string) => Promise<AppBuild>;
  private readonly phones = new Map<string, Phone>();
  private encounters = 0;
  private readonly draws = new Set<ModelDraw>();

  constructor(options: WorldOptions) {
    this.seed = options.seed;
    this.table = options.calibration ?? loadCalibrationTable();
    this.resolveApp = options.resolveApp;
  }

  addPhone(profile: DeviceProfile): Phone {
    if (this.phones.has(profile.id))
      throw new WorldError('PHONE_DUPLICATE', `phone "${profile.id}" already exists`);
    const calibration = lookupCalibration(this.table, { model: profile.model });
    const trustedKeys: VerificationPublicKey[] = [];
    const framework = createFramework({
      platform: profile.platform,
      osVersion: profile.osVersion,
      random: seededBytes(`world:${this.seed}:phone:${profile.id}:os`),
      metadata: {
        version: '1.1',
        txPower: calibration.txPower,
        calibrationConfidence: calibration.confidence,
      },
      verificationKeys: trustedKeys,
      onModelDraw: (draw) => this.draws.add(draw),
    });
    const phone = new Phone({
      profile,
      framework,
      calibration,
      hardware: trueHardware(profile.platform, calibration, profile.hardware),
      random: seededBytes(`world:${this.seed}:phone:${profile.id}:app`),
      trustedKeys,
      ...(this.resolveApp ? { resolveApp: this.resolveApp } : {}),
    });
    this.phones.set(profile.id, phone);
    return phone;
  }

  phone(id: string): Phone {
    const p = this.phones.get(id);
    if (!p)
      throw new WorldError('PHONE_UNKNOWN', `no phone "${id}"; known: ${[...this.phones.keys()].join(', ')}`);
    return p;
  }

  /** Ends every phone's app session (external app processes outlive a world: app-protocol/open.ts). */
  async close(): Promise<void> {
    await Promise.all([...this.phones.values()].map((p) => p.close()));
  }

  /** The draws of the seed this world made that can move a verdict (framework/types.ts ModelDraw). */
  modelDraws(): readonly ModelDraw[] {
    return [...this.draws].sort();
  }

  allPhones(): readonly Phone[] {
    return [...this.phones.values()];
  }

  /** Both phones advertise and scan each other over the encounter; sightings go into both frameworks. */
  encounter(spec: EncounterSpec): ContactEvidence {
    if (spec.a === spec.b)
      throw new WorldError('ENCOUNTER_INVALID', `encounter needs two phones, got "${spec.a}" twice`);
    if (!(spec.durationSeconds >= 0) || !(spec.distanceM >= 0)) {
      throw new WorldError(
        'ENCOUNTER_INVALID',
        `encounter ${spec.a}–${spec.b}: duration and distance must be ≥ 0`,
      );
    }
    const a = this.phone(spec.a);
    const b = this.phone(spec.b);
    const n = this.encounters++;
    const link = {
      startEpochSeconds: spec.startEpochSeconds,
      durationSeconds: spec.durationSeconds,
      distanceM: spec.distanceM,
      environment: spec.environment,
      bodyShadowingDb: spec.bodyShadowingDb ?? 0,
    };
    // Ground truth for the evidence: which of the sender's keys each advertised RPI came from.
    const keyOfRpi = new Map<string, KeyRef>();
    const keysHeard = (sightings: readonly Sighting[]): KeyRef[] => {
      const refs = new Map<string, KeyRef>();
      for (const s of sightings) {
        const k = keyOfRpi.get(Buffer.from(s.rpi).toString('hex'));
        if (k) refs.set(k.hash, k);
      }
      return [...refs.values()].sort((x, y) => x.rollingStartIntervalNumber - y.rollingStartIntervalNumber);
    };
    const hear = (sender: Phone, receiver: Phone) => {
      // Every advertisement the receiver could hear is named by the sender's key it came from.
      const advertisementAt: typeof sender.framework.advertisementAt = (t) => {
        const adv = sender.framework.advertisementAt(t);
        const rpi = Buffer.from(adv.rpi).toString('hex');
        if (!keyOfRpi.has(rpi)) {
          const key = sender.framework.ownKeys().find((k) => tekCovers(k, adv.enin));
          if (key) keyOfRpi.set(rpi, keyRef(key));
        }
        return adv;
      };
      // Exact radio: the scenario scripted what the receiver's scanner reports (same entry point);
      // no path loss, sensitivity or calibration error is involved.
      if (spec.scripted) {
        const sightings = scriptedSightings(
          { advertisementAt },
          sender.calibration,
          sender.profile,
          receiver.profile,
          spec,
        );
        for (const s of sightings) receiver.framework.recordSighting(s);
        return { sightings, lost: 0, calibration: undefined };
      }
      this.draws.add('radio');
      const tx = { ...advertiser(sender), advertisementAt };
      const rx = listener(receiver);
      const { sightings, lost } = simulateLink(
        tx,
        rx,
        link,
        seededRng(`world:${this.seed}:encounter:${n}:${sender.id}->${receiver.id}`),
      );
      for (const s of sightings) receiver.framework.recordSighting(s);
      return { sightings, lost, calibration: calibrationEvidence(sender, receiver, tx, rx) };
    };
    const atB = hear(a, b);
    const atA = hear(b, a);
    return {
      a: a.id,
      b: b.id,
      sightingsAtB: atB.sightings.length,
      sightingsAtA: atA.sightings.length,
      distinctRpisAtB: distinct(atB.sightings),
      distinctRpisAtA: distinct(atA.sightings),
      keysHeardAtB: keysHeard(atB.sightings),
      keysHeardAtA: keysHeard(atA.sightings),
      attenuationAtB: stats(atB.sightings, a.calibration.txPower),
      attenuationAtA: stats(atA.sightings, b.calibration.txPower),
      lostAtB: atB.lost,
      lostAtA: atA.lost,
      ...(atB.calibration ? { calibrationAtB: atB.calibration } : {}),
      ...(atA.calibration ? { calibrationAtA: atA.calibration } : {}),
    };
  }
}
