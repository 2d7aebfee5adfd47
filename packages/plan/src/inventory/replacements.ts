/**
 * Which input changes force a replacement (delete and create) of a resource, per type the
 * platform creates. Under Pulumi's mock runtime there is no provider diff, so every change of
 * a resource that keeps its URN looks like an update; a real `pulumi preview` asks the provider,
 * which answers "replace" for these inputs ("Forces new resource" in the Terraform providers'
 * argument references, which the Pulumi providers bridge). Changing a bucket's name therefore
 * creates a new, empty bucket and deletes the old one with its data.
 *
 * Each entry names its source: the provider documentation page (or, where the page is silent,
 * the provider's source file that marks the attribute `ForceNew`). Types the platform creates
 * that have no entry replace on no input the platform sets (jobs, grants, cluster policies:
 * every input is updated in place); `REPLACEMENT_FREE_TYPES` lists them so a test can check
 * that every recorded type is accounted for.
 */

/** The inputs (Pulumi names, dotted paths) that force replacement of one type, and why we know. */
export interface ReplacementRule {
  /** Input paths: a change at the path or below it forces a replacement. */
  readonly inputs: readonly string[];
  /** Where the provider says so. */
  readonly source: string;
}

const TF_AWS = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources";
const TF_AWS_SRC = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service";
const TF_DBX =
  "https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources";
const TF_DBX_SRC = "https://github.com/databricks/terraform-provider-databricks/blob/main";

/** The per-bucket S3 resources: each takes the bucket's name as `bucket`, "Forces new resource". */
const PER_BUCKET: Readonly<Record<string, string>> = {
  "aws:s3/bucketVersioning:BucketVersioning": "s3_bucket_versioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    "s3_bucket_server_side_encryption_configuration",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "s3_bucket_public_access_block",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "s3_bucket_ownership_controls",
  "aws:s3/bucketPolicy:BucketPolicy": "s3_bucket_policy",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "s3_bucket_lifecycle_configuration",
  "aws:s3/bucketLogging:BucketLogging": "s3_bucket_logging",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration":
    "s3_bucket_object_lock_configuration",
};

/** The table: resource type -> the inputs that force its replacement, with the source. */
export const REPLACEMENT_RULES: Readonly<Record<string, ReplacementRule>> = {
  "aws:s3/bucket:Bucket": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    source: `${TF_AWS}/s3_bucket#argument-reference ("bucket - (Optional, Forces new resource)", bucket_prefix and object_lock_enabled likewise)`,
  },
  ...Object.fromEntries(
    Object.entries(PER_BUCKET).map(([type, doc]) => [
      type,
      {
        inputs: ["bucket", "expectedBucketOwner"],
        source: `${TF_AWS}/${doc}#argument-reference ("bucket - (Required, Forces new resource) Name of the bucket.")`,
      },
    ]),
  ),
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    inputs: ["bucket", "key"],
    source: `${TF_AWS_SRC}/s3/object.go (bucket and key are ForceNew; ${TF_AWS}/s3_object)`,
  },
  "aws:iam/role:Role": {
    inputs: ["name", "namePrefix", "path"],
    source: `${TF_AWS}/iam_role#argument-reference ("name - (Optional, Forces new resource)"; path and name_prefix are ForceNew in ${TF_AWS_SRC}/iam/role.go)`,
  },
  "aws:iam/policy:Policy": {
    inputs: ["name", "namePrefix", "path", "description"],
    source: `${TF_AWS}/iam_policy#argument-reference ("description - (Optional, Forces new resource)", "name - (Optional, Forces new resource)"; path is ForceNew in ${TF_AWS_SRC}/iam/policy.go)`,
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    inputs: ["name", "namePrefix", "path"],
    source: `${TF_AWS}/iam_instance_profile#argument-reference ("name - (Optional, Forces new resource)"; path is ForceNew in ${TF_AWS_SRC}/iam/instance_profile.go)`,
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    inputs: ["role", "policyArn"],
    source: `${TF_AWS_SRC}/iam/role_policy_attachment.go (role and policy_arn are ForceNew: the resource has no update)`,
  },
  "aws:kms/alias:Alias": {
    inputs: ["name", "namePrefix"],
    source: `${TF_AWS_SRC}/kms/alias.go (name and name_prefix are ForceNew; only target_key_id updates: ${TF_AWS}/kms_alias)`,
  },
  "aws:kms/key:Key": {
    inputs: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    source: `${TF_AWS}/kms_key#argument-reference and ${TF_AWS_SRC}/kms/key.go (key spec, usage, multi_region, custom key store are ForceNew)`,
  },
  "aws:mwaa/environment:Environment": {
    inputs: ["name", "kmsKey", "networkConfiguration.subnetIds"],
    source: `${TF_AWS_SRC}/mwaa/environment.go (name, kms_key and network_configuration.subnet_ids are ForceNew; AWS::MWAA::Environment SubnetIds "Update requires: Replacement", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-mwaa-environment-networkconfiguration.html)`,
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    inputs: ["name", "namePrefix", "description", "vpcId"],
    source: `${TF_AWS}/security_group#argument-reference ("description - (Optional, Forces new resource)", "name - (Optional, Forces new resource)", "vpc_id - (Optional, Forces new resource)")`,
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    inputs: ["securityGroupId"],
    source: `${TF_AWS_SRC}/ec2/vpc_security_group_ingress_rule.go (security_group_id: RequiresReplace)`,
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    inputs: ["securityGroupId"],
    source: `${TF_AWS_SRC}/ec2/vpc_security_group_egress_rule.go (security_group_id: RequiresReplace)`,
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    inputs: ["name", "namePrefix"],
    source: `${TF_AWS}/cloudwatch_log_group#argument-reference ("name - (Optional, Forces new resource)")`,
  },
  // Unity Catalog. A catalog's `name` renames in place (catalog/resource_catalog.go: "Name is
  // updatable"); its storage root does not.
  "databricks:index/catalog:Catalog": {
    inputs: ["storageRoot", "providerName", "shareName", "connectionName"],
    source: `${TF_DBX}/catalog#argument-reference ("storage_root … Change forces creation of a new resource."; name updates in place: ${TF_DBX_SRC}/catalog/resource_catalog.go)`,
  },
  "databricks:index/schema:Schema": {
    inputs: ["name", "catalogName", "storageRoot"],
    source: `${TF_DBX}/schema#argument-reference ("name", "catalog_name", "storage_root": "Change forces creation of a new resource.")`,
  },
  "databricks:index/externalLocation:ExternalLocation": {
    inputs: ["name"],
    source: `${TF_DBX}/external_location#argument-reference ("name … Change forces creation of a new resource.")`,
  },
  "databricks:index/storageCredential:StorageCredential": {
    inputs: ["name"],
    source: `${TF_DBX}/storage_credential#argument-reference ("name … Change forces creation of a new resource.")`,
  },
  "databricks:index/metastoreAssignment:MetastoreAssignment": {
    inputs: ["workspaceId", "metastoreId"],
    source: `${TF_DBX_SRC}/catalog/resource_metastore_assignment.go (workspace_id and metastore_id are ForceNew)`,
  },
  // Workspace files (ingest code, specs): the path is the identity; content updates in place.
  "databricks:index/workspaceFile:WorkspaceFile": {
    inputs: ["path"],
    source: `${TF_DBX_SRC}/workspace/resource_workspace_file.go (path is ForceNew; content_base64 and source update in place)`,
  },
  // The audit trail and the off-account copy (AWS Backup).
  "aws:cloudtrail/trail:Trail": {
    inputs: ["name"],
    source: `${TF_AWS_SRC}/cloudtrail/trail.go (name is ForceNew; the bucket, key and selectors update in place: ${TF_AWS}/cloudtrail)`,
  },
  "aws:backup/vault:Vault": {
    inputs: ["name", "kmsKeyArn"],
    source: `${TF_AWS}/backup_vault#argument-reference and ${TF_AWS_SRC}/backup/vault.go (name and kms_key_arn are ForceNew; AWS::Backup::BackupVault BackupVaultName and EncryptionKeyArn "Update requires: Replacement")`,
  },
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": {
    inputs: ["backupVaultName", "changeableForDays", "maxRetentionDays", "minRetentionDays"],
    source: `${TF_AWS_SRC}/backup/vault_lock_configuration.go (no update: every argument is ForceNew)`,
  },
  "aws:backup/plan:Plan": {
    inputs: ["name"],
    source: `${TF_AWS_SRC}/backup/plan.go (name is ForceNew; rules update in place: ${TF_AWS}/backup_plan)`,
  },
  "aws:backup/selection:Selection": {
    inputs: [
      "name",
      "planId",
      "iamRoleArn",
      "resources",
      "notResources",
      "conditions",
      "selectionTags",
    ],
    source: `${TF_AWS_SRC}/backup/selection.go (no update: every argument is ForceNew; AWS::Backup::BackupSelection "Update requires: Replacement", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-backup-backupselection.html)`,
  },
  // The cluster-log volume: its name renames in place, its place and kind do not.
  "databricks:index/volume:Volume": {
    inputs: ["catalogName", "schemaName", "volumeType", "storageLocation"],
    source: `${TF_DBX}/volume#argument-reference ("catalog_name", "schema_name", "volume_type", "storage_location": "Change forces creation of a new resource.")`,
  },
  "databricks:index/instancePool:InstancePool": {
    inputs: [
      "nodeTypeId",
      "awsAttributes",
      "diskSpec",
      "enableElasticDisk",
      "preloadedSparkVersions",
      "preloadedDockerImages",
      "instancePoolFleetAttributes",
    ],
    source: `${TF_DBX_SRC}/pools/resource_instance_pool.go (node_type_id, aws_attributes, disk_spec, enable_elastic_disk, preloaded_spark_versions, preloaded_docker_images: tf:"force_new")`,
  },
};

/**
 * Types the platform creates whose inputs all update in place (checked against the same
 * providers): no entry above, on purpose.
 */
export const REPLACEMENT_FREE_TYPES: readonly string[] = [
  "databricks:index/clusterPolicy:ClusterPolicy", // every attribute updatable (policies/resource_cluster_policy.go)
  "databricks:index/grants:Grants", // the securable is the id, grants update in place
  "databricks:index/job:Job", // jobs/resource_job.go has no force_new attribute
  "databricks:index/workspaceConf:WorkspaceConf", // one custom_config map, updated in place (workspace/resource_workspace_conf.go)
  "databricks:index/ipAccessList:IpAccessList", // label, list_type, ip_addresses, enabled all update (access/resource_ip_access_list.go)
  "databricks:index/complianceSecurityProfileWorkspaceSetting:ComplianceSecurityProfileWorkspaceSetting", // a workspace setting: updated, never recreated (settings/ generic setting resource)
];

const within = (path: string, input: string): boolean =>
  path === input ||
  path.startsWith(`${input}.`) ||
  path.startsWith(`${input}[`) ||
  path.startsWith(`${input}{`);

/**
 * The changed input paths (as `changedPaths` gives them) that force a replacement of a
 * resource of `type`; empty when the change updates in place.
 */
export function replacingPaths(type: string, paths: readonly string[]): string[] {
  const rule = REPLACEMENT_RULES[type];
  if (rule === undefined) return [];
  return paths.filter((p) => rule.inputs.some((i) => within(p, i)));
}
