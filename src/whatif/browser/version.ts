/**
 * src/version.ts for the browser bundle (scripts/build-browser.mjs puts it in its place): the
 * version is fixed when the bundle is built; a browser knows no checkout, so no commit.
 */
declare const __ESMLAB_VERSION__: string;

/** The version in package.json when the bundle was built. */
export const ESMLAB_VERSION: string = __ESMLAB_VERSION__;

/** No checkout in a browser. */
export function gitCommit(): string | null {
  return null;
}
