// @hdp/spark: Databricks cluster policies, pools, jobs and Unity Catalog objects
export {};
