/** Shell-quotes one argument for a "reproduce this run" line: plain words stay bare. */
export const shellQuote = (a: string): string =>
  /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
