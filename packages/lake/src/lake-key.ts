import { componentOptions } from "./validation";
import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import { validateKmsAlias } from "@hdp/naming";
import {
  keyPolicyStatements,
  policyDocument,
  sortBySid,
  validatePolicyStatements,
  type PolicyStatementInput,
  type PolicyStatementJson,
} from "./policies";
import { throwIfProblems, validateDeletionWindow } from "./validation";

/** Arguments of {@link LakeKey}. */
export interface LakeKeyArgs {
  /** The key's account: the key policy delegates to its root (IAM policies then grant use). */
  readonly accountId: pulumi.Input<string>;
  /** Alias, e.g. `alias/hdp-acme/prod/clinical/lake` (see `lakeKeyAlias`). */
  readonly aliasName: string;
  /** @default "Lake key (<alias>)" */
  readonly description?: string;
  /**
   * Days KMS waits before deleting the key after a delete (7–30).
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Let CloudWatch Logs encrypt log groups with this key (needed when MWAA uses it): the
   * region, and a log-group name pattern (`kms:EncryptionContext:aws:logs:arn`).
   * @default undefined (no CloudWatch Logs statement)
   */
  readonly cloudWatchLogs?: {
    readonly region: pulumi.Input<string>;
    /** @default "*" */
    readonly logGroupNamePattern?: string;
  };
  /**
   * Extra key-policy statements, after the account-root statement. Principals must already
   * exist (KMS rejects unknown ones): prefer granting through IAM, which the root statement
   * allows.
   * @default []
   */
  readonly policyStatements?: readonly PolicyStatementInput[];
  /** Tags for the key. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The defaults of {@link LakeKey}, in one place. */
export const LAKE_KEY_DEFAULTS = {
  deletionWindowInDays: 30,
  logGroupNamePattern: "*",
  protect: true,
  retainOnDelete: true,
} as const;

/** Every problem with {@link LakeKeyArgs} that can be seen before deploy. */
export function validateLakeKeyArgs(args: LakeKeyArgs): string[] {
  return [
    ...validateKmsAlias(args.aliasName).map((p) => `aliasName: ${p}`),
    ...validateDeletionWindow(args.deletionWindowInDays ?? LAKE_KEY_DEFAULTS.deletionWindowInDays),
    ...validatePolicyStatements(args.policyStatements ?? []),
  ];
}

/**
 * A symmetric, single-region KMS customer-managed key for one lake domain, with yearly
 * rotation always on, its alias and its key policy (inline, so there is never a moment with
 * the default policy). The policy keeps the account-root `kms:*` statement.
 */
export class LakeKey extends pulumi.ComponentResource {
  public readonly key: kms.Key;
  public readonly alias: kms.Alias;
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: LakeKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:LakeKey", name, {}, componentOptions(opts));
    throwIfProblems("LakeKey", name, validateLakeKeyArgs(args));
    const d = LAKE_KEY_DEFAULTS;
    const stateful = {
      parent: this,
      protect: opts?.protect ?? d.protect,
      retainOnDelete: opts?.retainOnDelete ?? d.retainOnDelete,
    };
    const logs = args.cloudWatchLogs;

    const policy = pulumi
      .all([
        pulumi.output(args.accountId),
        pulumi.output(logs?.region),
        pulumi.output(args.policyStatements ?? []),
      ])
      .apply(([accountId, region, extra]) =>
        policyDocument([
          ...keyPolicyStatements({
            accountId,
            ...(logs !== undefined && region !== undefined
              ? {
                  cloudWatchLogs: {
                    region,
                    logGroupNamePattern: logs.logGroupNamePattern ?? d.logGroupNamePattern,
                  },
                }
              : {}),
          }),
          // pulumi.output() resolved every Input inside the statements.
          ...sortBySid(extra as unknown as PolicyStatementJson[]),
        ]),
      );

    this.key = new kms.Key(
      `${name}-key`,
      {
        description: args.description ?? `Lake key (${args.aliasName})`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        // MWAA and other services refuse multi-region keys.
        multiRegion: false,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays ?? d.deletionWindowInDays,
        bypassPolicyLockoutSafetyCheck: false,
        policy,
        tags: { ...args.tags },
      },
      stateful,
    );
    this.alias = new kms.Alias(
      `${name}-alias`,
      { name: args.aliasName, targetKeyId: this.key.keyId },
      // Not stateful (recreated in seconds), and not protected by the caller's protect option,
      // which Pulumi would otherwise pass down from the component.
      { parent: this, protect: false },
    );
    this.keyArn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = this.alias.name;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}
