/** Faults between the phones and the notification server, as scenarios name them (server-proxy.ts). */
export const SERVER_FAULT_MODES = [
  'down',
  '5xx',
  'latency',
  'tampered-export',
  'malformed-configuration',
  'configuration-missing',
  'upload-reply-lost',
  'clear',
] as const;
export type ServerFaultMode = (typeof SERVER_FAULT_MODES)[number];
