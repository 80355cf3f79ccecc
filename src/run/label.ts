/**
 * Run labels read "<short name>: <description>" ("case2: 5 msg/s × 2000 s, 20 partitions, 3 s
 * function"); the short name (`shortLabel`) heads tables, verdicts and chart legends. What sets
 * a run apart from the scenario it was made from — another scaler policy, a calibration, a
 * measurement — goes into the short name in parentheses, so that runs of one scenario read
 * apart and the name stays short: "case2 (on-demand-2022, calibrated): 5 msg/s × …".
 */

/**
 * The label with `qualifier` added to its short name (the text before the first ":", or the
 * whole label): in parentheses, or inside the parentheses that already end the short name
 * (once: a label that has it already is returned as it is).
 *
 * @example qualifyLabel("case2: 5 msg/s × 2000 s", "keda") // "case2 (keda): 5 msg/s × 2000 s"
 * @example qualifyLabel("case2 (keda): 5 msg/s", "calibrated") // "case2 (keda, calibrated): 5 msg/s"
 * @example qualifyLabel("spike", "legacy-15min") // "spike (legacy-15min)"
 */
export function qualifyLabel(label: string, qualifier: string): string {
  const colon = label.indexOf(":");
  const head = (colon < 0 ? label : label.slice(0, colon)).trimEnd();
  const rest = colon < 0 ? "" : label.slice(colon);
  const [, name, qualifiers] = /^(.*) \(([^()]*)\)$/.exec(head) ?? [];
  if (name === undefined || qualifiers === undefined) return `${head} (${qualifier})${rest}`;
  if (qualifiers.split(", ").includes(qualifier)) return label;
  return `${name} (${qualifiers}, ${qualifier})${rest}`;
}
