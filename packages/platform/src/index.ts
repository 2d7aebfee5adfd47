// @hdp/platform: Config entry -> components, per environment and shard
export {};
