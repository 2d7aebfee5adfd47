// @hdp/lake: S3 Delta-lake buckets (landing/bronze/silver/gold), KMS, access logging
export {};
