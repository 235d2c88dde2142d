import { HerSysControlClient } from './client.js';
import { createHerSysHandlers } from './handlers.js';
import { type HandlerHttpServer, listenHandlers } from './http-adapter.js';
import { type HerSysConfig, HerSysState } from './state.js';

export interface HerSysStubOptions extends HerSysConfig {
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
}

export interface StartedHerSysStub {
  /** Base URL of the stub: verification, control and the web screen (`/`). Goes away under the 'down' fault. */
  readonly url: string;
  /** `POST` here with `{"<parameterName>": "<number>"}` (the server's VerificationPayloadUrl). */
  readonly verifyUrl: string;
  /** A second port serving the same handlers that stays up under the 'down' fault; `client` uses it. */
  readonly controlUrl: string;
  readonly controlToken: string;
  readonly parameterName: string;
  readonly seed: number;
  readonly client: HerSysControlClient;
  /** The shared state (registry, call log, faults, clock) for in-process inspection. */
  readonly state: HerSysState;
  /** The log lines kept (the newest LOG_LINES); processing numbers appear masked (mask.ts). */
  logs(): string[];
  /** The lines logged after `cursor` (0, then each `next`), and how many of them the ring dropped. */
  logsAfter(cursor: number): { lines: string[]; next: number; missed: number };
  /** Closes both ports and every socket, including held (timeout-fault) ones. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the dummy HER-SYS on real HTTP (loopback, ephemeral port by default). */
export async function startHerSysStub(options: HerSysStubOptions = {}): Promise<StartedHerSysStub> {
  const state = new HerSysState(options);
  state.downStyle = 'refuse-port';
  const handlers = createHerSysHandlers(state);
  const onError = (error: unknown) =>
    state.log(`internal error: ${(error as Error)?.message ?? String(error)}`);
  const host = options.host ?? '127.0.0.1';
  const main: HandlerHttpServer = await listenHandlers(handlers, { host, port: options.port ?? 0, onError });
  let control: HandlerHttpServer;
  try {
    control = await listenHandlers(handlers, { host, port: 0, onError });
  } catch (error) {
    await main.close();
    throw error;
  }
  const offDown = state.onDownChange((down) => {
    // Defer so an answer to the control call that set the fault is not cut off.
    setImmediate(() => {
      (down ? main.pause() : main.resume()).catch((e: Error) =>
        state.log(`cannot ${down ? 'pause' : 'resume'}: ${e.message}`),
      );
    });
  });
  state.log(`listening on ${main.url} (control also on ${control.url}), seed ${state.seed}`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      offDown();
      state.dispose();
      await Promise.all([main.close(), control.close()]);
      state.log('stopped');
    })();
    return stopping;
  };
  return {
    url: main.url,
    verifyUrl: `${main.url}${state.verifyPath}`,
    controlUrl: control.url,
    controlToken: state.controlToken,
    parameterName: state.parameterName,
    seed: state.seed,
    client: new HerSysControlClient(control.url, state.controlToken),
    state,
    logs: () => state.logs(),
    logsAfter: (cursor) => state.logsAfter(cursor),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
