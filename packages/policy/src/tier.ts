/** Environment tiers come from @hdp/config (its loader checks them too); re-exported here. */
export { environmentTier, type Tier } from "@hdp/config";
