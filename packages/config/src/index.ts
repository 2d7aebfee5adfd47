// @hdp/config: zod schemas, YAML loader with file:line:col, environment overlays, JSON Schema
export {};
export const VERSION = "0.1.0";
