import { type SetupServer, setupServer } from 'msw/node';
import { HerSysControlClient } from './client.js';
import { createHerSysHandlers } from './handlers.js';
import { type HerSysConfig, HerSysState } from './state.js';

export interface InProcessHerSysOptions extends HerSysConfig {
  /** Origin the handlers answer for; other fetches pass through untouched. Default "http://hersys.test". */
  readonly origin?: string;
}

export interface InProcessHerSys {
  readonly server: SetupServer;
  readonly state: HerSysState;
  readonly origin: string;
  readonly verifyUrl: string;
  readonly controlToken: string;
  readonly client: HerSysControlClient;
  /** Starts intercepting fetch/http in this process (unhandled requests bypass). */
  listen(): void;
  /** Stops intercepting and releases held (timeout-fault) requests. Idempotent. */
  close(): void;
  [Symbol.dispose](): void;
}

/**
 * The same handlers intercepted in-process with msw's `setupServer`, for unit tests of a server's
 * HER-SYS client. The 'down' fault answers with a network error per call (so `count` works here).
 */
export function setupHerSysServer(options: InProcessHerSysOptions = {}): InProcessHerSys {
  const state = new HerSysState(options);
  const origin = (options.origin ?? 'http://hersys.test').replace(/\/+$/, '');
  const server = setupServer(...createHerSysHandlers(state, { origin }));
  let listening = false;
  const close = () => {
    state.dispose();
    if (listening) server.close();
    listening = false;
  };
  return {
    server,
    state,
    origin,
    verifyUrl: `${origin}${state.verifyPath}`,
    controlToken: state.controlToken,
    client: new HerSysControlClient(origin, state.controlToken),
    listen() {
      if (!listening) server.listen({ onUnhandledRequest: 'bypass' });
      listening = true;
    },
    close,
    [Symbol.dispose]: close,
  };
}
