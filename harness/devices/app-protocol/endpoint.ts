/**
 * The two sides of the app protocol as interfaces, and the checks both transports share: ichiren
 * validates every answer of the app and every call the app makes against the same schemas
 * (messages.ts), whether the app runs in-process (built-in builds) or as a process (stdio.ts).
 */
import type { z } from 'zod';
import {
  APP_METHODS,
  APP_NOTIFICATIONS,
  type AppMethod,
  type AppNotification,
  FRAMEWORK_METHODS,
  type FrameworkMethod,
  type FrameworkParams,
  type FrameworkResult,
  type NotificationParams,
  type ParamsOf,
  type ResultOf,
} from './messages.js';

/** The OS side of one phone: what the app may ask of the EN framework, and what it may tell the user. */
export interface FrameworkHost {
  getTekHistory(): FrameworkResult<'en/getTekHistory'>;
  provideDiagnosisKeys(
    params: FrameworkParams<'en/provideDiagnosisKeys'>,
  ): FrameworkResult<'en/provideDiagnosisKeys'>;
  showNotification(params: NotificationParams<'app/showNotification'>): void;
  log(params: NotificationParams<'app/log'>): void;
}

/** An app as ichiren holds it: one process (or in-process instance) serving one or more phones. */
export interface AppEndpoint {
  /** The build id or the command, for every error message. */
  readonly name: string;
  request<M extends AppMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Routes the app's framework calls and notifications for `phone` to `host`. */
  attach(phone: string, host: FrameworkHost): void;
  detach(phone: string): void;
  close(): Promise<void>;
}

/** A fault of the app (crash, hang, malformed message, wrong shape, unknown method): errors the cell. */
export class AppProtocolError extends Error {
  readonly code = 'APP_PROTOCOL_FAULT';
  constructor(
    readonly app: string,
    readonly method: string,
    detail: string,
  ) {
    super(`app "${app}": ${method}: ${detail}`);
    this.name = 'AppProtocolError';
  }
}

const issues = (e: z.ZodError): string =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
    .join('; ');

/** The app's answer to `method`, checked against its schema. */
export function checkResult<M extends AppMethod>(app: string, method: M, raw: unknown): ResultOf<M> {
  const parsed = APP_METHODS[method].result.safeParse(raw ?? {});
  if (!parsed.success)
    throw new AppProtocolError(app, method, `answer has the wrong shape: ${issues(parsed.error)}`);
  return parsed.data as ResultOf<M>;
}

export const isFrameworkMethod = (m: string): m is FrameworkMethod => Object.hasOwn(FRAMEWORK_METHODS, m);
export const isAppNotification = (m: string): m is AppNotification => Object.hasOwn(APP_NOTIFICATIONS, m);

/**
 * Serves one framework call of the app: checks its parameters, finds the phone's host and answers.
 * A malformed call or an unknown phone throws AppProtocolError (the transport reports it to the app
 * and fails the phone's pending request).
 */
export function serveFramework(
  app: string,
  hosts: ReadonlyMap<string, FrameworkHost>,
  method: FrameworkMethod,
  raw: unknown,
): FrameworkResult<FrameworkMethod> {
  const parsed = FRAMEWORK_METHODS[method].params.safeParse(raw);
  if (!parsed.success)
    throw new AppProtocolError(app, method, `called with wrong parameters: ${issues(parsed.error)}`);
  const host = hosts.get(parsed.data.phone);
  if (!host) throw new AppProtocolError(app, method, `names unknown phone "${parsed.data.phone}"`);
  return method === 'en/getTekHistory'
    ? host.getTekHistory()
    : host.provideDiagnosisKeys(parsed.data as FrameworkParams<'en/provideDiagnosisKeys'>);
}

/** Delivers one notification of the app to its phone's host. */
export function serveNotification(
  app: string,
  hosts: ReadonlyMap<string, FrameworkHost>,
  method: AppNotification,
  raw: unknown,
): void {
  const parsed = APP_NOTIFICATIONS[method].safeParse(raw);
  if (!parsed.success)
    throw new AppProtocolError(app, method, `sent wrong parameters: ${issues(parsed.error)}`);
  const host = hosts.get(parsed.data.phone);
  if (!host) throw new AppProtocolError(app, method, `names unknown phone "${parsed.data.phone}"`);
  if (method === 'app/showNotification')
    host.showNotification(parsed.data as NotificationParams<typeof method>);
  else host.log(parsed.data as NotificationParams<'app/log'>);
}

/** What an app implementation sees of ichiren: the framework's methods and the notifications. */
export interface FrameworkClient {
  request<M extends FrameworkMethod>(method: M, params: FrameworkParams<M>): Promise<FrameworkResult<M>>;
  notify<N extends AppNotification>(method: N, params: NotificationParams<N>): void;
}

/** An app written against the protocol: one handler per method ichiren sends. */
export type AppHandlers = {
  [M in AppMethod]: (params: ResultOf<M> extends never ? never : ParamsOf<M>) => Promise<unknown>;
};

/**
 * The in-process transport: the same messages, checks and routing as over stdio, without
 * serialising. `create` makes the app given its client of the framework.
 */
export class InProcessEndpoint implements AppEndpoint {
  private readonly hosts = new Map<string, FrameworkHost>();
  private readonly app: AppHandlers;

  constructor(
    readonly name: string,
    create: (framework: FrameworkClient) => AppHandlers,
  ) {
    const hosts = this.hosts;
    this.app = create({
      request: async (method, params) =>
        serveFramework(name, hosts, method, params) as FrameworkResult<typeof method>,
      notify: (method, params) => serveNotification(name, hosts, method, params),
    });
  }

  async request<M extends AppMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const checked = APP_METHODS[method].params.parse(params) as ParamsOf<M>;
    const handler = this.app[method] as (p: ParamsOf<M>) => Promise<unknown>;
    return checkResult(this.name, method, await handler(checked));
  }

  attach(phone: string, host: FrameworkHost): void {
    this.hosts.set(phone, host);
  }

  detach(phone: string): void {
    this.hosts.delete(phone);
  }

  async close(): Promise<void> {
    this.hosts.clear();
  }
}
