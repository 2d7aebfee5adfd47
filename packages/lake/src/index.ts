// @hdp/lake: S3 Delta-lake buckets (landing/bronze/silver/gold), KMS, access logging
export * from "./naming";
export * from "./lifecycle";
export * from "./policies";
export * from "./validation";
export type { AccessLogTarget, ObjectLockRetention } from "./bucket-chain";
export * from "./secure-bucket";
export * from "./access-log-bucket";
export * from "./lake-key";
export * from "./lake-plan";
export * from "./lake-buckets";
export * from "./audit-policies";
export * from "./audit-trail";
export * from "./off-account-copy";
