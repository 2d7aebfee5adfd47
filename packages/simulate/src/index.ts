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
