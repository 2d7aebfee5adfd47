/** `hospitals`, `domains` (platform.yaml) and `environments` (environments/<env>.yaml). */
import type { DomainEntry, Environment, HospitalEntry } from "@hdp/config";
import { defineTable, derived, field, fileOf, type SqlTable } from "./define";

type H = HospitalEntry;
export const hospitals: SqlTable = defineTable<H>({
  name: "hospitals",
  description: "The hospitals of the health system (platform.yaml `hospitals`)",
  key: ["id"],
  entities: (v) => v.estate.platform.hospitals,
  origin: (h) => h.origin,
  locate: (row) => ({
    file: fileOf(row),
    path: ["hospitals", { key: "id", value: String(row.id) }],
  }),
  columns: [
    field<H>("id", "text", "id", "Hospital id, used in tags and in a source's `hospitals`", false),
    field<H>("name", "text", "name", "Display name"),
    field<H>("region", "text", "region", "Region of the state the hospital serves"),
    field<H>("beds", "integer", "beds", "Licensed beds"),
    field<H>("teaching", "boolean", "teaching", "1 for a teaching hospital"),
  ],
});

type D = DomainEntry;
export const domains: SqlTable = defineTable<D>({
  name: "domains",
  description:
    "Data domains (platform.yaml `domains`): owners, cost centers, classification ceilings",
  key: ["id"],
  entities: (v) => v.estate.platform.domains,
  origin: (d) => d.origin,
  locate: (row) => ({ file: fileOf(row), path: ["domains", { key: "id", value: String(row.id) }] }),
  columns: [
    field<D>("id", "text", "id", "clinical, financial, workforce, genomics or operations", false),
    field<D>("name", "text", "name", "Display name"),
    field<D>("description", "text", "description", "What the domain holds"),
    field<D>("owner_team", "text", "owner.team", "Owning team (the owner tag)"),
    field<D>("owner_email", "text", "owner.email", "Owning team's email"),
    field<D>("cost_center", "text", "costCenter", "Cost center (cost-center tag), e.g. CC-7101"),
    field<D>("max_classification", "text", "maxClassification", "Most sensitive data allowed"),
  ],
});

type E = Environment;
export const environments: SqlTable = defineTable<E>({
  name: "environments",
  description: "Deployment environments (environments/<env>.yaml): accounts, PHI policy, sizes",
  key: ["name"],
  entities: (v) => v.estate.environments,
  origin: (e) => e.origin,
  locate: (row) => ({ file: fileOf(row), path: [] }),
  columns: [
    field<E>("name", "text", "name", "dev, stage, prod", false),
    field<E>("account_id", "text", "aws.accountId", "AWS account id (12 digits)"),
    field<E>("vpc_id", "text", "aws.vpcId", "VPC of MWAA and the Databricks workspace"),
    field<E>("private_subnet_ids", "json", "aws.privateSubnetIds", "The two private subnets"),
    field<E>("databricks_workspace_url", "text", "databricks.workspaceUrl", "Workspace URL"),
    field<E>("databricks_metastore_id", "text", "databricks.metastoreId", "UC metastore id"),
    field<E>("databricks_admin_group", "text", "databricks.adminGroup", "Catalog admin group"),
    field<E>("phi", "text", "phi", "Patient data allowed here: real, synthetic or none"),
    field<E>("enforcement", "text", "enforcement", "Policy violations: advisory or mandatory"),
    field<E>("protect_stateful_resources", "boolean", "protectStatefulResources", "1 = protected"),
    field<E>("airflow_environment_class", "text", "airflow.environmentClass", "e.g. mw1.small"),
    field<E>("airflow_min_workers", "integer", "airflow.minWorkers", "MWAA minimum workers"),
    field<E>("airflow_max_workers", "integer", "airflow.maxWorkers", "MWAA maximum workers"),
    field<E>("airflow_version", "text", "airflow.version", "Pinned Airflow version"),
    field<E>("airflow_webserver_access", "text", "airflow.webserverAccess", "PRIVATE_ONLY, …"),
    field<E>(
      "compute_autotermination_minutes",
      "integer",
      "compute.autoterminationMinutes",
      "All-purpose compute only (unset: none); 0 = never",
    ),
    field<E>("compute_max_workers", "integer", "compute.maxWorkers", "Most workers per cluster"),
    field<E>("compute_node_types", "json", "compute.nodeTypes", "Allowed node types"),
    field<E>("compute_spark_versions", "json", "compute.sparkVersions", "Allowed runtimes"),
    field<E>(
      "retention_noncurrent_version_days",
      "integer",
      "retention.noncurrentVersionDays",
      "Days noncurrent S3 versions are kept",
    ),
    field<E>("retention_log_days", "integer", "retention.logDays", "Days CloudWatch logs are kept"),
    field<E>(
      "sharding_resource_budget",
      "integer",
      "sharding.resourceBudget",
      "Most resources per stack",
    ),
    field<E>("shards", "json", "sharding.shards", "Shards: list of {id, domains, sources}"),
    derived<E>("stacks", "json", "Pulumi stack names (derived)", (e) =>
      e.stacks.map((s) => s.name),
    ),
    field<E>("alert_emails", "json", "alertEmails", "Addresses notified when a job fails"),
  ],
});
