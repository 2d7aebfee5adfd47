/**
 * Defence in depth, worded once for every component package: an option the policy pack would
 * flag is refused at construction with the rule's name and message, unless the caller lists the
 * rule in `acceptInsecure` (a reviewed exception, which the pack still reports). So a consumer
 * without the pack is safe by default.
 */

/** The refusal of one finding of `rule` at `field`, or nothing when the caller accepts the rule. */
export function refuseInsecure(
  field: string,
  rule: string,
  message: string,
  acceptInsecure: readonly string[] | undefined,
): string[] {
  return (acceptInsecure ?? []).includes(rule)
    ? []
    : [
        `${field}: ${rule}: ${message} (the policy pack's rule; list "${rule}" in acceptInsecure to accept it knowingly)`,
      ];
}
