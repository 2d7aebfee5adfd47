/** @hdp/simulate: synthetic, PHI-free config estates and data sets. */
export {
  checkEstateOptions,
  ESTATE_PRESETS,
  generateEstate,
  type EstateOptions,
  type EstatePreset,
  type GeneratedEstate,
} from "./estate/generate";
export { writeEstate } from "./estate/write";
export { Random, seedOf } from "./random";
export {
  checkDataOptions,
  simulateData,
  type DataOptions,
  type DataResult,
  type TableStats,
} from "./data/simulate-data";
export { localTarget, TargetError, type Target } from "./data/sinks";
export { BlockWorkerError } from "./data/block-pool";
export { parseS3Url, s3Target, type S3TargetOptions } from "./data/s3-target";
export { type DataFormat, type Sink } from "./data/writers";
export { isValidNpi, npiFor, RESTRICTED_ZIP3 } from "./data/health";
export { scanRecord, scanText, type SafeHarborFinding } from "./safe-harbor";
