/**
 * The environment's security group. Rules are separate `aws.vpc.SecurityGroupIngressRule` /
 * `SecurityGroupEgressRule` resources, never inline: each rule has its own identity (adding a
 * CIDR adds one resource instead of rewriting the group), they can be tagged, and inline and
 * separate rules cannot fight over the same group. The provider removes AWS's default
 * allow-all egress when it creates a group, so egress is always explicit here.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import { slug } from "@hdp/naming";

/** What {@link createSecurityGroup} needs. */
export interface SecurityGroupSpec {
  readonly environmentName: string;
  readonly vpcId: pulumi.Input<string>;
  /** Sources of HTTPS (443) to the webserver, e.g. the VPN's CIDR. */
  readonly webserverIngressCidrs: readonly string[];
  /** Security groups allowed HTTPS (443) to the webserver, e.g. a VPN endpoint's. */
  readonly webserverIngressSecurityGroupIds: readonly string[];
  /** Destinations of all outbound traffic. */
  readonly egressCidrs: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The group and its rules. */
export interface SecurityGroupResources {
  readonly group: ec2.SecurityGroup;
  readonly rules: readonly pulumi.CustomResource[];
}

/** Logical-name suffix of a CIDR rule: the CIDR itself, so reordering CIDRs renames nothing. */
export function cidrRuleSuffix(cidr: string): string {
  return slug(cidr);
}

/** Creates the group with a self-referencing inbound rule, HTTPS ingress and explicit egress. */
export function createSecurityGroup(
  name: string,
  spec: SecurityGroupSpec,
  parent: pulumi.Resource,
): SecurityGroupResources {
  const group = new ec2.SecurityGroup(
    `${name}-sg`,
    {
      vpcId: spec.vpcId,
      description: `MWAA environment ${spec.environmentName}`,
      tags: { ...spec.tags, Name: `${spec.environmentName}-mwaa` },
    },
    { parent, protect: false },
  );
  const rule = { parent, protect: false, dependsOn: [group] };
  const tags = { ...spec.tags };
  const rules: pulumi.CustomResource[] = [
    // MWAA's workers, schedulers and webserver talk to each other through this group.
    new vpc.SecurityGroupIngressRule(
      `${name}-sg-self`,
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: group.id,
        ipProtocol: "-1",
        description: "MWAA components talk to each other",
        tags,
      },
      rule,
    ),
  ];
  for (const cidr of [...spec.webserverIngressCidrs].sort()) {
    rules.push(
      new vpc.SecurityGroupIngressRule(
        `${name}-sg-https-${cidrRuleSuffix(cidr)}`,
        {
          securityGroupId: group.id,
          cidrIpv4: cidr,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: "HTTPS to the Airflow webserver",
          tags,
        },
        rule,
      ),
    );
  }
  for (const sg of [...spec.webserverIngressSecurityGroupIds].sort()) {
    rules.push(
      new vpc.SecurityGroupIngressRule(
        `${name}-sg-https-${slug(sg)}`,
        {
          securityGroupId: group.id,
          referencedSecurityGroupId: sg,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          description: "HTTPS to the Airflow webserver",
          tags,
        },
        rule,
      ),
    );
  }
  for (const cidr of [...spec.egressCidrs].sort()) {
    rules.push(
      new vpc.SecurityGroupEgressRule(
        `${name}-sg-egress-${cidrRuleSuffix(cidr)}`,
        {
          securityGroupId: group.id,
          cidrIpv4: cidr,
          ipProtocol: "-1",
          description: "MWAA reaches S3, SQS, CloudWatch, KMS and ECR (via NAT or VPC endpoints)",
          tags,
        },
        rule,
      ),
    );
  }
  return { group, rules };
}
