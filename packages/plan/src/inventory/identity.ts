/**
 * The physical identity of a resource: the inputs that name the cloud object (a bucket's name,
 * a role's name, a schema's catalog and name). A resource deleted under one URN and created
 * under another with the same type and identity is the same object whose logical name changed:
 * Pulumi would delete and re-create it (or fail because the name is taken) unless the program
 * gives the new resource an alias of the old URN.
 */
import type { InventoryResource } from "./inventory";

/** Input fields naming the object, per type. */
const IDENTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "aws:s3/bucket:Bucket": ["bucket"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
  "aws:iam/role:Role": ["name"],
  "aws:iam/policy:Policy": ["path", "name"],
  "aws:iam/instanceProfile:InstanceProfile": ["name"],
  "aws:iam/rolePolicy:RolePolicy": ["role", "name"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:kms/alias:Alias": ["name"],
  "aws:mwaa/environment:Environment": ["name"],
  "aws:ec2/securityGroup:SecurityGroup": ["vpcId", "name"],
  "aws:cloudwatch/logGroup:LogGroup": ["name"],
  "databricks:index/catalog:Catalog": ["name"],
  "databricks:index/schema:Schema": ["catalogName", "name"],
  "databricks:index/externalLocation:ExternalLocation": ["name"],
  "databricks:index/storageCredential:StorageCredential": ["name"],
  "databricks:index/clusterPolicy:ClusterPolicy": ["name"],
  "databricks:index/instancePool:InstancePool": ["instancePoolName"],
  "databricks:index/job:Job": ["name"],
  "databricks:index/grants:Grants": [
    "catalog",
    "schema",
    "externalLocation",
    "storageCredential",
    "table",
    "volume",
    "metastore",
  ],
  "databricks:index/metastoreAssignment:MetastoreAssignment": ["metastoreId", "workspaceId"],
};

/** Types that are one per bucket: the bucket names them. */
const PER_BUCKET = /^aws:s3\/bucket[A-Z][A-Za-z]*:Bucket[A-Za-z]+$/;

/** Types whose deletion loses data or breaks access: flagged in reports. */
const STATEFUL_TYPES = new Set([
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:mwaa/environment:Environment",
  "databricks:index/catalog:Catalog",
  "databricks:index/schema:Schema",
  "databricks:index/sqlTable:SqlTable",
  "databricks:index/volume:Volume",
  "databricks:index/externalLocation:ExternalLocation",
  "databricks:index/storageCredential:StorageCredential",
]);

/** Whether deleting the resource loses data or access (or the program protects it). */
export function isStateful(
  r: Pick<InventoryResource, "type" | "protect" | "retainOnDelete">,
): boolean {
  return STATEFUL_TYPES.has(r.type) || r.protect || r.retainOnDelete;
}

/**
 * The physical identity of a custom resource (`type` plus the naming inputs), or undefined
 * when its inputs do not name it (a KMS key, a component).
 */
export function physicalIdentity(
  r: Pick<InventoryResource, "type" | "custom" | "read" | "inputs">,
): string | undefined {
  if (!r.custom || r.read) return undefined;
  const fields =
    IDENTITY_FIELDS[r.type] ??
    (PER_BUCKET.test(r.type) ? ["bucket"] : typeof r.inputs.name === "string" ? ["name"] : []);
  const parts: string[] = [];
  for (const f of fields) {
    const v = r.inputs[f];
    if (typeof v === "string" && v !== "" && v !== "[unknown]" && v !== "[secret]")
      parts.push(`${f}=${v}`);
  }
  return parts.length === 0 ? undefined : `${r.type} ${parts.join(" ")}`;
}
