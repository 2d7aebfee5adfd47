// @hdp/iam: IAM roles and least-privilege policy documents sized to AWS limits
export * from "./policy-types";
export * from "./size-hints";
export {
  DEFAULT_MAX_MANAGED_POLICIES,
  MANAGED_POLICIES_QUOTA_MAX,
  MANAGED_POLICY_MAX_LENGTH,
  renderPolicyDocument,
  renderPolicyDocumentPart,
  splitPolicyDocuments,
  type PolicyDocumentPart,
  type RenderPolicyDocumentOptions,
  type SplitPolicyDocumentsOptions,
} from "./policy-document";
export type { NormStatement, NormConditions, NormPrincipals, Term } from "./normalize";
export { POLICY_VERSION } from "./render";
export {
  renderTrustPolicy,
  trustPolicyMaxLength,
  TRUST_POLICY_MAX_LENGTH,
  type RenderTrustPolicyOptions,
} from "./trust-policy";
export {
  accountRootArn,
  iamPolicyName,
  iamRoleName,
  IAM_POLICY_NAME_MAX,
  IAM_ROLE_NAME_MAX,
  kmsKeyArnInput,
  roleArn,
  s3BucketArn,
  s3BucketArnInput,
  s3ObjectsArn,
} from "./names";
export * from "./scoped-role";
export * from "./source-ingest-role";
export * from "./mwaa-execution-role";
export * from "./unity-catalog-storage-role";
export * from "./databricks-instance-profile-role";
