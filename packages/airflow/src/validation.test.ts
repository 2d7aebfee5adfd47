import * as pulumi from "@pulumi/pulumi";
import {
  isIpv4Cidr,
  validateAirflowArgs,
  validateMwaaKmsKey,
  type AirflowArgsToValidate,
} from "./validation";

const ok: AirflowArgsToValidate = {
  environmentName: "hdp-prod",
  dagBucketName: "hdp-acme-prod-airflow-dags",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  kmsKeyArn: "arn:aws:kms:us-east-2:123456789012:key/1111-2222",
  airflowVersion: "2.10.3",
  environmentClass: "mw1.small",
  minWorkers: 1,
  maxWorkers: 10,
  logLevel: "INFO",
  webserverAccessMode: "PRIVATE_ONLY",
  webserverIngressCidrs: ["10.20.0.0/16"],
  webserverIngressSecurityGroupIds: ["sg-0123456789abcdef0"],
  egressCidrs: ["0.0.0.0/0"],
};

describe("validateAirflowArgs", () => {
  it("accepts sound args", () => expect(validateAirflowArgs(ok)).toEqual([]));
  it("skips values unknown before deploy", () => {
    const unknown = pulumi.output("not-a-subnet");
    expect(
      validateAirflowArgs({ ...ok, privateSubnetIds: [unknown, unknown], kmsKeyArn: unknown }),
    ).toEqual([]);
  });

  it.each<[string, Partial<AirflowArgsToValidate>, string]>([
    [
      "one subnet",
      { privateSubnetIds: ["subnet-0123456789abcdef0"] },
      "privateSubnetIds has 1 subnets; MWAA needs exactly two",
    ],
    [
      "three subnets",
      {
        privateSubnetIds: [
          "subnet-0123456789abcdef0",
          "subnet-0123456789abcdef1",
          "subnet-0123456789abcdef2",
        ],
      },
      "has 3 subnets",
    ],
    [
      "the same subnet twice",
      { privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"] },
      "is given twice",
    ],
    [
      "a non-subnet id",
      { privateSubnetIds: ["sg-1", "subnet-0123456789abcdef0"] },
      '"sg-1" is not a subnet id',
    ],
    [
      "an unpinned version",
      { airflowVersion: "latest" },
      'airflowVersion "latest" must be a pinned',
    ],
    ["a partial version", { airflowVersion: "2.10" }, 'airflowVersion "2.10"'],
    ["Airflow 1", { airflowVersion: "1.10.12" }, 'airflowVersion "1.10.12"'],
    [
      "an unknown class",
      { environmentClass: "mw1.huge" },
      'environmentClass "mw1.huge" must be one of',
    ],
    [
      "too many DAGs",
      { expectedDagCount: 300 },
      "300 DAGs exceed the capacity of mw1.small (50); use mw1.large (1000)",
    ],
    ["zero workers", { minWorkers: 0 }, "minWorkers is 0; it must be a whole number from 1 to 25"],
    ["too many workers", { maxWorkers: 26 }, "maxWorkers is 26"],
    ["max below min", { minWorkers: 5, maxWorkers: 2 }, "maxWorkers (2) is below minWorkers (5)"],
    [
      "one scheduler on small",
      { schedulers: 1 },
      "schedulers (mw1.small) is 1; it must be a whole number from 2 to 5",
    ],
    [
      "two schedulers on micro",
      { environmentClass: "mw1.micro", schedulers: 2 },
      "schedulers (mw1.micro) is 2",
    ],
    ["a bad log level", { logLevel: "VERBOSE" }, 'logLevel "VERBOSE" must be one of'],
    ["a bad access mode", { webserverAccessMode: "OPEN" }, 'webserverAccessMode "OPEN"'],
    [
      "a bad ingress CIDR",
      { webserverIngressCidrs: ["10.0.0.0/33"] },
      'webserverIngressCidrs: "10.0.0.0/33" is not an IPv4 CIDR',
    ],
    [
      "a duplicate egress CIDR",
      { egressCidrs: ["10.0.0.0/8", "10.0.0.0/8"] },
      "egressCidrs lists a CIDR twice",
    ],
    ["no egress", { egressCidrs: [] }, "egressCidrs is empty"],
    [
      "a bad environment name",
      { environmentName: "1prod" },
      "environmentName: MWAA environment name",
    ],
    [
      "a bad bucket name",
      { dagBucketName: "hdp.dags" },
      'dagBucketName: bucket name "hdp.dags" must not contain "."',
    ],
    ["an alias as key", { kmsKeyArn: "alias/mwaa/hdp-prod" }, "is an alias; MWAA needs a key ARN"],
  ])("rejects %s", (_what, change, message) => {
    expect(validateAirflowArgs({ ...ok, ...change }).join("\n")).toContain(message);
  });

  it("reports every problem at once", () => {
    expect(
      validateAirflowArgs({ ...ok, privateSubnetIds: [], airflowVersion: "", logLevel: "x" }),
    ).toHaveLength(3);
  });
});

describe("validateMwaaKmsKey", () => {
  it.each([
    ["arn:aws:kms:us-east-2:123456789012:key/1111-2222", 0],
    ["arn:aws:kms:us-east-2:123456789012:alias/mwaa", 1],
    ["arn:aws:kms:us-east-2:123456789012:key/mrk-1234abcd", 1],
    ["1111-2222", 1],
  ])("%s -> %i problems", (key, n) => expect(validateMwaaKmsKey(key)).toHaveLength(n));
});

describe("isIpv4Cidr", () => {
  it.each([
    ["10.0.0.0/16", true],
    ["0.0.0.0/0", true],
    ["256.0.0.0/8", false],
    ["10.0.0.0", false],
    ["::/0", false],
  ])("%s -> %s", (cidr, valid) => expect(isIpv4Cidr(cidr)).toBe(valid));
});
