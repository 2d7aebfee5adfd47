// @hdp/policy: The policy pack: same rules in pulumi preview and hdp plan
export {};
