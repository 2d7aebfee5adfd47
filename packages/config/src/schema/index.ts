export * from "./common";
export * from "./platform";
export * from "./environment";
export * from "./access";
export * from "./groups";
export * from "./source";
export * from "./table";
export * from "./hardening";
