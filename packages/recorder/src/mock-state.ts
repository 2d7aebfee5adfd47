/**
 * Realistic outputs for resources and provider functions under Pulumi's mock runtime: ids and
 * ARNs shaped like the real ones, so code that parses or interpolates them behaves as in AWS.
 * Pure functions of (type, name, inputs): the same program always records the same values.
 */
import * as crypto from "node:crypto";

/**
 * SHA-256 as hex: the one-shot `crypto.hash` (Node >= 20.12; several times cheaper than a Hash
 * object for short input, and this runs for every resource), else `createHash`. Same digest.
 */
const sha256Hex: (s: string) => string =
  typeof crypto.hash === "function"
    ? (s) => crypto.hash("sha256", s, "hex")
    : (s) => crypto.createHash("sha256").update(s).digest("hex");

/** The fake AWS account, region and Databricks ids used by every mock run. */
export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_REGION = "us-east-2";

type Inputs = Record<string, unknown>;

/** What a mock run knows beyond a resource's own inputs. */
export interface MockContext {
  /**
   * Outputs of the stacks a program references, by fully qualified stack name
   * (`<org>/<project>/<stack>`): what a `pulumi.StackReference` to that stack sees. A stack not
   * listed has no outputs, so `requireOutput` fails as it would for a stack never deployed.
   */
  readonly stackOutputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Names of the secret outputs of a referenced stack, by the same full stack name. */
  readonly secretOutputNames?: Readonly<Record<string, readonly string[]>>;
}

/** The wire form of a secret (what the engine sends for a secret value). */
const secret = (value: unknown): Inputs => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

function hex(seed: string, length: number): string {
  return sha256Hex(seed).slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function str(v: unknown, fallback: string): string {
  return typeof v === "string" && v.length > 0 ? v : fallback;
}

/** The physical id and output state the mock returns for a new resource. */
export function mockResourceState(
  type: string,
  name: string,
  inputs: Inputs,
  context: MockContext = {},
): { id: string; state: Inputs } {
  const seed = `${type}::${name}`;
  const acct = MOCK_ACCOUNT_ID;
  const region = MOCK_REGION;
  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = str(inputs.bucket, `${name}-${hex(seed, 7)}`);
      return {
        id: bucket,
        state: {
          ...inputs,
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
          region,
        },
      };
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(seed);
      return {
        id: keyId,
        state: { ...inputs, keyId, arn: `arn:aws:kms:${region}:${acct}:key/${keyId}` },
      };
    }
    case "aws:kms/alias:Alias": {
      const alias = str(inputs.name, `alias/${name}`);
      return {
        id: alias,
        state: { ...inputs, name: alias, arn: `arn:aws:kms:${region}:${acct}:${alias}` },
      };
    }
    case "aws:iam/role:Role": {
      const roleName = str(inputs.name, `${name}-${hex(seed, 7)}`);
      const path = str(inputs.path, "/");
      return {
        id: roleName,
        state: {
          ...inputs,
          name: roleName,
          arn: `arn:aws:iam::${acct}:role${path}${roleName}`,
          uniqueId: `AROA${hex(seed, 17).toUpperCase()}`,
        },
      };
    }
    case "aws:iam/policy:Policy": {
      const policyName = str(inputs.name, `${name}-${hex(seed, 7)}`);
      const path = str(inputs.path, "/");
      const arn = `arn:aws:iam::${acct}:policy${path}${policyName}`;
      return {
        id: arn,
        state: { ...inputs, name: policyName, arn, policyId: `ANPA${hex(seed, 17).toUpperCase()}` },
      };
    }
    case "aws:iam/instanceProfile:InstanceProfile": {
      const profileName = str(inputs.name, `${name}-${hex(seed, 7)}`);
      return {
        id: profileName,
        state: {
          ...inputs,
          name: profileName,
          arn: `arn:aws:iam::${acct}:instance-profile/${profileName}`,
        },
      };
    }
    case "aws:ec2/securityGroup:SecurityGroup": {
      const id = `sg-${hex(seed, 17)}`;
      return {
        id,
        state: { ...inputs, arn: `arn:aws:ec2:${region}:${acct}:security-group/${id}` },
      };
    }
    case "aws:mwaa/environment:Environment": {
      const envName = str(inputs.name, name);
      return {
        id: envName,
        state: {
          ...inputs,
          name: envName,
          arn: `arn:aws:airflow:${region}:${acct}:environment/${envName}`,
          webserverUrl: `${hex(seed, 12)}.c${hex(seed, 2)}.${region}.airflow.amazonaws.com`,
        },
      };
    }
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      return {
        id: str(inputs.key, name),
        state: {
          ...inputs,
          versionId: hex(`${seed}:${JSON.stringify(inputs.source ?? inputs.content ?? "")}`, 32),
        },
      };
    case "databricks:index/storageCredential:StorageCredential":
      return {
        id: str(inputs.name, name),
        state: {
          ...inputs,
          awsIamRole: {
            ...(inputs.awsIamRole ?? {}),
            externalId: uuid(`${seed}:external-id`),
            unityCatalogIamArn:
              "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL",
          },
          storageCredentialId: uuid(seed),
        },
      };
    case "pulumi:pulumi:StackReference": {
      const stack = str(inputs.name, name);
      const secretNames = [...(context.secretOutputNames?.[stack] ?? [])].sort();
      const outputs: Inputs = { ...context.stackOutputs?.[stack] };
      for (const k of secretNames) if (k in outputs) outputs[k] = secret(outputs[k]);
      return { id: stack, state: { name: stack, outputs, secretOutputNames: secretNames } };
    }
    case "databricks:index/catalog:Catalog":
    case "databricks:index/schema:Schema":
    case "databricks:index/externalLocation:ExternalLocation":
      return { id: str(inputs.name, name), state: { ...inputs } };
    default: {
      const id = type.startsWith("databricks:")
        ? `${hex(seed, 4)}-${hex(`${seed}:2`, 6)}-${hex(`${seed}:3`, 8)}`
        : `${name}-${hex(seed, 8)}`;
      return {
        id,
        state: {
          ...inputs,
          arn: type.startsWith("aws:")
            ? `arn:aws:${type.split(":")[1]?.split("/")[0] ?? "x"}:${region}:${acct}:${name}`
            : undefined,
        },
      };
    }
  }
}

/** The result the mock returns for a provider function call (`aws.getCallerIdentity`, …). */
export function mockCallResult(token: string, inputs: Inputs): Inputs {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/deployer`,
        userId: "AIDAMOCKDEPLOYER",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getRegion:getRegion":
      return {
        name: MOCK_REGION,
        region: MOCK_REGION,
        id: MOCK_REGION,
        endpoint: `ec2.${MOCK_REGION}.amazonaws.com`,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    default:
      return inputs;
  }
}
