// @hdp/airflow: Airflow on AWS MWAA: environment, DAG bucket, DAG upload
export {};
