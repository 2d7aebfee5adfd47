/**
 * The policy pack's entry point (`main` in PulumiPolicy.yaml), for
 * `pulumi preview --policy-pack packages/policy --policy-pack-config <env>.json`.
 * It only constructs the pack: constructing starts the analyzer's gRPC server, so nothing else
 * (the offline evaluator, tests, the planner) may import this module.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Fail closed: without a config file every rule is mandatory (the config sets each rule's
// enforcementLevel from the environment's `enforcement`).
new PolicyPack("hdp", { policies: [...policies], enforcementLevel: "mandatory" });
