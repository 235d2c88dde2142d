/** Dummy HER-SYS API (cocoa.md §2): public surface for the stack, the server's tests and the CLI. */
export { HerSysControlClient, HerSysControlError } from './client.js';
export { StubClock } from './clock.js';
export { FaultSpecError, parseFaultSpec, parseNumberFaultSpec } from './faults.js';
export { createHerSysHandlers, type HandlerOptions } from './handlers.js';
export { type HandlerHttpServer, type ListenOptions, listenHandlers } from './http-adapter.js';
export { type InProcessHerSys, type InProcessHerSysOptions, setupHerSysServer } from './in-process.js';
export { maskNumber } from './mask.js';
export { DEFAULT_VALIDITY_HOURS, HerSysRegistry, RegistryInputError } from './registry.js';
export { type DownStyle, type HerSysConfig, HerSysState } from './state.js';
export { type HerSysStubOptions, type StartedHerSysStub, startHerSysStub } from './stub.js';
export * from './types.js';
export {
  issueNumberViaWebScreen,
  WebScreenError,
  type WebScreenPatient,
} from './web-screen-driver.js';
