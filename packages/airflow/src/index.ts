// @hdp/airflow: Airflow on AWS MWAA: environment, DAG bucket, DAG upload
export * from "./capacity";
export * from "./naming";
export * from "./validation";
export * from "./dag-files-plan";
export * from "./dag-files";
export { cidrRuleSuffix } from "./network";
export * from "./airflow-environment";
export * from "./log-groups";
