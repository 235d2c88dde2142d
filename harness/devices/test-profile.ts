/** A phone profile for tests: a Pixel 4 on Android 11 or an iPhone 11 on iOS 14.4, EN v1, COCOA 1.1.4. */
import type { DeviceProfile } from './types.js';

export const testProfile = (
  id: string,
  platform: 'android' | 'ios',
  extra: Partial<DeviceProfile> = {},
): DeviceProfile => ({
  id,
  platform,
  osVersion: platform === 'ios' ? '14.4' : '11',
  enVersion: 1,
  model: platform === 'ios' ? 'iPhone 11' : 'Pixel 4',
  app: 'cocoa-1.1.4',
  backgroundCheckRuns: true,
  clockSkewSeconds: 0,
  ...extra,
});
