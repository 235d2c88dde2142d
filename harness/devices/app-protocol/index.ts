/** The app protocol: one contract between a simulated phone and any app (docs/app-protocol.md). */
export { type AppEndpoint, AppProtocolError, type FrameworkHost, InProcessEndpoint } from './endpoint.js';
export * from './messages.js';
export {
  type AppDeclaration,
  closeExternalApps,
  type ExternalAppSpec,
  externalAppId,
  handshake,
  isExternalApp,
  openBuiltinApp,
  openExternalApp,
  registerExternalApp,
} from './open.js';
export { DEFAULT_APP_TIMEOUT_MS, StdioEndpoint } from './stdio.js';
