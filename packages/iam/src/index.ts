// @hdp/iam: IAM roles and least-privilege policy documents sized to AWS limits
export {};
