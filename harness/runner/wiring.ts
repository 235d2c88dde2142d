/**
 * Wires the real parts into RunnerDeps: the phones' World (harness/devices), the stack
 * (harness/stack) and the HER-SYS control client (stubs/hersys), each imported when first needed.
 */
import type { DeviceProfile } from '../devices/types.js';
import type { StartedStack } from '../stack/types.js';
import type { HerSysControl, RunnerDeps, WorldHandle } from './deps.js';

/** StackOptions of harness/stack (H7), as the runner passes them. */
export interface StackStartOptions {
  readonly target: 'embedded' | 'process' | 'container' | 'url';
  readonly serverBehaviour?: string;
  readonly configurationSet?: string;
  readonly serverUrl?: string;
  readonly serverCommand?: string;
  readonly serverImage?: string;
  readonly verificationKey?: string;
  readonly apiSecret?: string;
  readonly publish?: import('../stack/options.js').PublishStep;
  readonly publishTimeoutMs?: number;
  readonly hersys?: { readonly seed: number; readonly host?: string; readonly port?: number };
  readonly serverDatabase?: import('../stack/options.js').StackOptions['serverDatabase'];
  /** The run's clock at start, Unix ms (stack/clock.ts). */
  readonly nowMs?: number;
}

export async function startStack(options: StackStartOptions): Promise<StartedStack> {
  const mod = (await import('../stack/index.js')) as {
    startStack(o: StackStartOptions): Promise<StartedStack>;
  };
  return mod.startStack(options);
}

/**
 * The runner's real dependencies on a started stack. The web screen is filled in the run's Chromium:
 * one launched before the first cell (`launchedBrowser`: a browser that cannot start is then an
 * environment error of the run, and its start-up never counts against a step), one shared, or else
 * one launched on first use.
 */
export async function realDeps(
  stack: StartedStack,
  options: {
    /** A browser already launching for these deps (they close it); a failed launch fails here. */
    launchedBrowser?: Promise<import('playwright').Browser>;
    /** A browser that outlives these deps (the audit's, shared by its runs); never closed here. */
    sharedBrowser?: () => Promise<import('playwright').Browser>;
  } = {},
): Promise<RunnerDeps> {
  const devices = (await import('../devices/index.js')) as {
    World: new (o: {
      seed: number;
    }) => { addPhone(p: DeviceProfile): unknown; encounter(s: unknown): unknown };
  };
  // The stub's parts the runner uses, not its index: that also loads the in-process stub (msw/node).
  const hersysMod = (await import('../../stubs/hersys/client.js')) as {
    HerSysControlClient: new (url: string, token: string, transport: typeof httpRequest) => HerSysControl;
  };
  const { httpRequest } = await import('../stack/http-client.js');
  const webScreen = async () =>
    (await import('../../stubs/hersys/web-screen-driver.js')) as {
      issueNumberViaWebScreen(
        url: string,
        token: string,
        patient: object,
        o?: { browser?: unknown },
      ): Promise<string>;
    };
  // The stub's verification port really closes under a `down` fault; its control port stays up
  // (stubs/hersys/README.md). Use it when the stack exposes it.
  const controlUrl = stack.hersys.controlUrl ?? stack.hersys.url;
  // Over the phones' HTTP client: a run issues hundreds of numbers, and global fetch costs several
  // times the CPU per call (stack/http-client.ts).
  const hersys = new hersysMod.HerSysControlClient(controlUrl, stack.hersys.controlToken, httpRequest);
  let browser: Promise<import('playwright').Browser> | undefined;
  if (options.launchedBrowser) browser = Promise.resolve(await options.launchedBrowser);
  return {
    stack,
    hersys,
    // The phones read the run's clock, the one the server and HER-SYS read (harness/stack/clock.ts).
    now: () => Math.floor(stack.clock.now() / 1000),
    createWorld: (seed) => new devices.World({ seed }) as unknown as WorldHandle,
    issueViaWebScreen: async (patient) => {
      // One Chromium for the whole run, launched on first use; each number gets its own context.
      browser ??= options.sharedBrowser
        ? options.sharedBrowser()
        : import('../browser/chromium.js').then((m) => m.launchChromium());
      return {
        // The screen on the port that stays up when the verification API is down: HER-SYS faults
        // touch only verification, never the health centre's screen (stubs/hersys/README.md).
        processingNumber: await (await webScreen()).issueNumberViaWebScreen(
          controlUrl,
          stack.hersys.controlToken,
          patient,
          { browser: await browser },
        ),
      };
    },
    dispose: async () => {
      if (browser && !options.sharedBrowser) await (await browser.catch(() => undefined))?.close();
    },
  };
}
