/**
 * Imports a module the user names by path: a vendor's app build (`--app`) or audit catalog. A
 * TypeScript one goes through tsx's tsImport, because the compiled CLI (bin/compiled-cli.js) runs
 * without tsx's loader; JavaScript is imported as it is.
 */
export async function importUserModule(url: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?tsx?$/.test(new URL(url).pathname)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}
