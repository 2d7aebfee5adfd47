/** KMS customer-managed keys: the lake keys, the catalog key and the MWAA key. */
import { resourcePolicy } from "../define";
import { bool, isUnknown, num, str } from "../values";

const KEY = "aws:kms/key:Key";

/**
 * Yearly automatic rotation on every symmetric encryption key. HIPAA §164.312(a)(2)(iv)
 * encryption and decryption; AWS Config cmk-backing-key-rotation-enabled.
 */
export const kmsKeyRotation = resourcePolicy(
  {
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys rotate automatically.",
    remediation: "Set enableKeyRotation: true on the aws.kms.Key (LakeKey always does).",
    resourceTypes: [KEY],
    hipaa: ["§164.312(a)(2)(iv)"],
    awsConfig: ["cmk-backing-key-rotation-enabled"],
    anchors: { awsguard: ["cmk-backing-key-rotation-enabled"] },
    severity: "high",
  },
  ({ props }) => {
    // Only symmetric encryption keys can rotate automatically.
    const usage = str(props.keyUsage) ?? "ENCRYPT_DECRYPT";
    const spec = str(props.customerMasterKeySpec) ?? str(props.keySpec) ?? "SYMMETRIC_DEFAULT";
    if (usage !== "ENCRYPT_DECRYPT" || spec !== "SYMMETRIC_DEFAULT") return [];
    if (isUnknown(props.enableKeyRotation) || bool(props.enableKeyRotation) === true) return [];
    return ["enableKeyRotation is not true: the key material never rotates"];
  },
);

/** The longest deletion window KMS allows, and the one production keys must keep. */
export const KMS_MAX_DELETION_WINDOW_DAYS = 30;

/**
 * In production, a key scheduled for deletion stays recoverable for the full 30 days: deleting
 * a lake key makes every object under it unreadable. HIPAA §164.308(a)(7)(ii)(B) disaster
 * recovery, §164.312(c)(1) integrity; AWS Config kms-cmk-not-scheduled-for-deletion (HIPAA pack,
 * the deployed-state counterpart).
 */
export const kmsKeyDeletionWindow = resourcePolicy(
  {
    name: "kms-key-deletion-window",
    description: "Production KMS keys keep the maximum deletion window of 30 days.",
    remediation:
      "Leave deletionWindowInDays unset (30) or set it to 30 on production keys (LakeKey's deletionWindowInDays).",
    resourceTypes: [KEY],
    hipaa: ["§164.308(a)(7)(ii)(B)", "§164.312(c)(1)"],
    awsConfig: ["kms-cmk-not-scheduled-for-deletion"],
    severity: "high",
  },
  ({ props }, ctx) => {
    if (ctx.tier !== "prod" || isUnknown(props.deletionWindowInDays)) return [];
    const days = num(props.deletionWindowInDays) ?? KMS_MAX_DELETION_WINDOW_DAYS;
    return days >= KMS_MAX_DELETION_WINDOW_DAYS
      ? []
      : [
          `deletionWindowInDays is ${days} in ${ctx.environment}; production keys keep ${KMS_MAX_DELETION_WINDOW_DAYS}`,
        ];
  },
);

export const kmsPolicies = [kmsKeyRotation, kmsKeyDeletionWindow];
