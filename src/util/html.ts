/** Escape text for HTML element content and attribute values (also in the browser bundle). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
