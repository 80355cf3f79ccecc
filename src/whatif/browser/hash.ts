/**
 * `sha256` for the browser bundle (scripts/build-browser.mjs puts it in place of
 * src/util/hash.ts): the same hex digest from @noble/hashes, as browsers have no synchronous
 * SHA-256, so a run's id is the one `esmlab simulate` gives.
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256(data: string | Uint8Array): string {
  return bytesToHex(nobleSha256(typeof data === "string" ? utf8ToBytes(data) : data));
}
