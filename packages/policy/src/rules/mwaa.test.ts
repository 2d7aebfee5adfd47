import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  PROD,
  contextFor,
  dagFile,
  ingressRule,
  mwaa,
  res,
  retag,
} from "../__fixtures__/resources";
import { mwaaPolicies } from "./mwaa";

const logsWithout = (type: string) => ({
  ...(mwaa().inputs.loggingConfiguration as Record<string, unknown>),
  [type]: { enabled: false, logLevel: "INFO" },
});

const cases: RuleCase[] = [
  { rule: "mwaa-private-webserver", title: "PRIVATE_ONLY in prod", resources: [mwaa()] },
  {
    rule: "mwaa-private-webserver",
    title: "unset (MWAA's default is private)",
    resources: [mwaa({ webserverAccessMode: undefined })],
  },
  {
    rule: "mwaa-private-webserver",
    title: "PUBLIC_ONLY in dev",
    resources: retag([mwaa({ webserverAccessMode: "PUBLIC_ONLY" })], "dev"),
    context: contextFor("dev"),
  },
  {
    rule: "mwaa-private-webserver",
    title: "PUBLIC_ONLY in stage",
    resources: retag([mwaa({ webserverAccessMode: "PUBLIC_ONLY" })], "stage"),
    context: contextFor("stage"),
    violation: { name: "airflow-env", message: /webserverAccessMode is PUBLIC_ONLY in stage/ },
  },
  { rule: "mwaa-all-logs-enabled", title: "all five on", resources: [mwaa()] },
  {
    rule: "mwaa-all-logs-enabled",
    title: "worker logs off",
    resources: [mwaa({ loggingConfiguration: logsWithout("workerLogs") })],
    violation: { name: "airflow-env", message: /log types not enabled: workerLogs/ },
  },
  {
    rule: "mwaa-all-logs-enabled",
    title: "no logging configuration",
    resources: [mwaa({ loggingConfiguration: undefined })],
    violation: {
      name: "airflow-env",
      message: /dagProcessingLogs, schedulerLogs, taskLogs, webserverLogs, workerLogs/,
    },
  },
  { rule: "mwaa-kms-key", title: "key ARN", resources: [mwaa()] },
  { rule: "mwaa-kms-key", title: "key not known yet", resources: [mwaa({ kmsKey: "[unknown]" })] },
  {
    rule: "mwaa-kms-key",
    title: "no key",
    resources: [mwaa({ kmsKey: undefined })],
    violation: { name: "airflow-env", message: /no kmsKey/ },
  },
  {
    rule: "mwaa-kms-key",
    title: "an alias",
    resources: [mwaa({ kmsKey: "arn:aws:kms:us-east-2:123456789012:alias/mwaa/hdp-prod" })],
    violation: { name: "airflow-env", message: /is an alias/ },
  },
  {
    rule: "mwaa-kms-key",
    title: "a multi-region key",
    resources: [mwaa({ kmsKey: "arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd" })],
    violation: { name: "airflow-env", message: /multi-region key/ },
  },
  {
    rule: "mwaa-class-capacity",
    title: "mw1.medium for 180 DAGs",
    resources: [mwaa()],
    context: { ...PROD, dagCount: 180 },
  },
  {
    rule: "mwaa-class-capacity",
    title: "mw1.small for 80 DAGs of config",
    resources: [mwaa({ environmentClass: "mw1.small" })],
    context: { ...PROD, dagCount: 80 },
    violation: {
      name: "airflow-env",
      message: /mw1.small is sized for 50 DAGs; this environment will hold 80/,
    },
  },
  {
    rule: "mwaa-class-capacity",
    title: "mw1.micro with 26 DAG files uploaded",
    resources: [
      mwaa({ environmentClass: "mw1.micro" }),
      ...Array.from({ length: 26 }, (_, i) => dagFile(i)),
    ],
    violation: {
      name: "airflow-env",
      message: /mw1.micro is sized for 25 DAGs; this environment will hold 26/,
    },
  },
  {
    rule: "mwaa-class-capacity",
    title: "files of another bucket do not count",
    resources: [
      mwaa({ environmentClass: "mw1.micro" }),
      ...Array.from({ length: 26 }, (_, i) => {
        const f = dagFile(i);
        return { ...f, inputs: { ...f.inputs, bucket: "other" } };
      }),
    ],
  },
  { rule: "vpc-no-open-ingress", title: "the VPN's CIDR", resources: [ingressRule()] },
  {
    rule: "vpc-no-open-ingress",
    title: "the internet",
    resources: [ingressRule({ cidrIpv4: "0.0.0.0/0" })],
    violation: { name: "airflow-sg-https", message: /ingress is open to 0.0.0.0\/0/ },
  },
  {
    rule: "vpc-no-open-ingress",
    title: "inline ingress of a group",
    resources: [
      res("aws:ec2/securityGroup:SecurityGroup", "sg", {
        vpcId: "vpc-1",
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }],
        tags: mwaa().inputs.tags,
      }),
    ],
    violation: { name: "sg", message: /ingress is open to ::\/0/ },
  },
];

describe("MWAA and network rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(mwaaPolicies, cases)).toEqual([]);
  });
});
