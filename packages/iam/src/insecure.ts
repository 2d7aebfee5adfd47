/**
 * Defence in depth: options the policy pack would flag are refused at construction with the
 * rule's name and message, unless the caller lists the rule in `acceptInsecure` (a reviewed
 * exception, which the pack still reports). So a consumer without the pack is safe by default.
 * Values still unknown (Outputs) are left to the pack.
 */
import type * as pulumi from "@pulumi/pulumi";
import { refuseInsecure } from "@hdp/naming";
import type { PolicyStatement } from "./policy-types";

export { refuseInsecure };

/** Whether IAM's glob `pattern` (`*`, `?`; case-insensitive when asked) matches `value`. */
function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${re}$`, ignoreCase ? "i" : "").test(value);
}

/** True when `resource` names every role (of one account or all): the pack's probe. */
function coversAnyRole(resource: string): boolean {
  const account = /:iam::(\d{12}):/.exec(resource)?.[1] ?? "123456789012";
  return globMatches(resource, `arn:aws:iam::${account}:role/zz-any-role-probe`, false);
}

/**
 * `iam-no-passrole-wildcard`: an `Allow` of `iam:PassRole` (or a wildcard covering it) on a
 * resource that names every role. `"*"` on `"*"` is refused by the statement checks already.
 */
export function passRoleProblems(
  statements: readonly PolicyStatement[],
  acceptInsecure: readonly string[] | undefined,
): string[] {
  return statements.flatMap((s, i) => {
    if (s.effect !== "Allow") return [];
    if (!s.actions.some((a) => globMatches(a, "iam:PassRole", true))) return [];
    if (s.actions.includes("*") && s.resources.includes("*")) return [];
    const any = s.resources.filter((r): r is string => typeof r === "string" && coversAnyRole(r));
    if (any.length === 0) return [];
    const sid = s.sid !== undefined ? `statement ${s.sid}` : "a statement";
    return refuseInsecure(
      `statements[${i}]`,
      "iam-no-passrole-wildcard",
      `${sid} allows iam:PassRole on ${any.join(", ")}`,
      acceptInsecure,
    );
  });
}

/** The 12-digit account of a principal ARN (or a bare account id), if it names one. */
export function principalAccount(principal: string): string | undefined {
  return /^\d{12}$/.test(principal)
    ? principal
    : /^arn:[a-z-]+:iam::(\d{12}):/.exec(principal)?.[1];
}

/**
 * `iam-cross-account-external-id`: a trust of a principal of another account (not `ownAccountId`)
 * without an `sts:ExternalId`. A principal still unknown (an Output) is left to the pack.
 */
export function externalIdProblems(
  trustedPrincipalArn: pulumi.Input<string>,
  externalId: pulumi.Input<string> | undefined,
  ownAccountId: string | undefined,
  acceptInsecure: readonly string[] | undefined,
): string[] {
  if (externalId !== undefined || typeof trustedPrincipalArn !== "string") return [];
  const account = principalAccount(trustedPrincipalArn);
  if (account !== undefined && account === ownAccountId) return [];
  return refuseInsecure(
    "externalId",
    "iam-cross-account-external-id",
    `a statement trusts ${trustedPrincipalArn} (another account) without an sts:ExternalId condition`,
    acceptInsecure,
  );
}
