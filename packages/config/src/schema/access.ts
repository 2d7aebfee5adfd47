/**
 * `access:` of an environment: how the people who use the platform reach it. Today the network
 * path to the Airflow UI; MWAA's webserver is PRIVATE_ONLY, so without a path nobody can open the
 * UI or get a CLI token.
 */
import { z } from "zod";

/** Private address space a VPN or office network routes into the VPC from (RFC 1918, RFC 6598). */
const PRIVATE_RANGES: readonly (readonly [number, number])[] = [
  [0x0a000000, 8], // 10.0.0.0/8
  [0xac100000, 12], // 172.16.0.0/12
  [0xc0a80000, 16], // 192.168.0.0/16
  [0x64400000, 10], // 100.64.0.0/10 (carrier-grade NAT, used by some VPNs)
];

/** The widest prefix accepted: a whole /8 is already every address of a large network. */
export const WIDEST_PEOPLE_PREFIX = 8;

/** What is wrong with `cidr` as a source of people's traffic, or undefined. */
export function peopleCidrProblem(cidr: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (m === null) return 'must be an IPv4 CIDR such as "10.20.0.0/16"';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return "is not a valid IPv4 CIDR";
  if (prefix < WIDEST_PEOPLE_PREFIX) {
    return `is wider than /${WIDEST_PEOPLE_PREFIX}: name the VPN's or office's own range`;
  }
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    const base = address - (address % size);
    const dotted = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join(".");
    return `has host bits set: the network is ${dotted}/${prefix}`;
  }
  const inside = PRIVATE_RANGES.some(([net, bits]) => {
    const block = 2 ** (32 - bits);
    return prefix >= bits && Math.floor(address / block) === Math.floor(net / block);
  });
  if (!inside) {
    return "is not private address space (10/8, 172.16/12, 192.168/16, 100.64/10): the UI is reachable only inside the VPC";
  }
  return undefined;
}

const peopleCidr = z.string().superRefine((cidr, ctx) => {
  const problem = peopleCidrProblem(cidr);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

const securityGroupId = z
  .string()
  .regex(/^sg-[0-9a-f]{8,17}$/, { message: 'must be a security group id such as "sg-0abc1234"' });

const unique = <T extends z.ZodType<string>>(item: T, what: string) =>
  z
    .array(item)
    .refine((xs) => new Set(xs).size === xs.length, { message: `lists a ${what} twice` });

export const access = z.strictObject({
  /**
   * Who may open the Airflow UI: HTTPS (443) into the MWAA environment's security group from
   * these CIDRs (the VPN's) or security groups (a bastion's, a VPN endpoint's). At least one.
   */
  airflowUi: z
    .strictObject({
      cidrs: unique(peopleCidr, "CIDR").default([]),
      securityGroups: unique(securityGroupId, "security group").default([]),
    })
    .refine((a) => a.cidrs.length + a.securityGroups.length > 0, {
      message:
        "names no network path: the webserver is PRIVATE_ONLY, so list the VPN's CIDRs or security groups allowed on 443",
    }),
});
export type Access = z.infer<typeof access>;
