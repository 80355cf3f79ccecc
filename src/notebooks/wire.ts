/**
 * The Jupyter wire protocol, v5.3 (jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol):
 * `[<IDS|MSG>, hmac, header, parent_header, metadata, content]`, the HMAC-SHA256 of the four
 * JSON parts keyed by the connection file's key. A Dealer client sends no routing identities.
 */
import { createHmac } from "node:crypto";

const DELIM = "<IDS|MSG>";

/** The parts of a kernel message esmlab reads. */
export interface Message {
  header: { msg_id: string; msg_type: string; date?: string };
  parent_header: { msg_id?: string };
  content: Record<string, unknown>;
}

/** What {@link encodeMessage} sends. */
export interface Outgoing {
  id: string;
  msgType: string;
  session: string;
  content: Record<string, unknown>;
}

/**
 * The signed frames of a request.
 *
 * @example
 * encodeMessage("k", { id: "1", msgType: "kernel_info_request", session: "s", content: {} })[0];
 * // → "<IDS|MSG>"
 */
export function encodeMessage(key: string, msg: Outgoing): string[] {
  const header = JSON.stringify({
    msg_id: msg.id,
    msg_type: msg.msgType,
    session: msg.session,
    username: "esmlab",
    date: new Date().toISOString(),
    version: "5.3",
  });
  const parts = [header, "{}", "{}", JSON.stringify(msg.content)];
  return [DELIM, sign(key, parts), ...parts];
}

/** Parses received frames; null when malformed or the signature does not match. */
export function decodeMessage(key: string, frames: readonly Buffer[]): Message | null {
  const at = frames.findIndex((f) => f.toString() === DELIM);
  if (at < 0 || frames.length < at + 6) return null;
  const parts = frames.slice(at + 2, at + 6);
  if (sign(key, parts) !== frames[at + 1]!.toString()) return null;
  const [header, parent, , content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return { header, parent_header: parent, content };
}

function sign(key: string, parts: readonly (string | Buffer)[]): string {
  const hmac = createHmac("sha256", key);
  for (const p of parts) hmac.update(p);
  return hmac.digest("hex");
}
