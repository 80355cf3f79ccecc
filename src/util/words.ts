/**
 * Items as a sentence lists them: "a", "a and b", "a, b and c".
 * @example listOf(["the evaluation interval", "the actuation delay", "the wait"]) // "the evaluation interval, the actuation delay and the wait"
 */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
