/** What the destructive-change guard reports: one finding, the shape `guard.ts` and `guard-tables.ts` share. */
import type { ConfigChange } from "./config-changes";

export type GuardKind = "delete" | "replace" | "table";

/** The resource a replacement creates in place of the old one. */
export interface GuardTarget {
  readonly stack: string;
  readonly name: string;
  readonly urn: string;
}

/** Where to allow a finding: the YAML to add and the file (relative to configs/). */
export interface GuardFix {
  readonly file: string;
  /** What the entry names (the logical name, or the table key). */
  readonly resource: string;
  /** The YAML to add, `policies:` included. */
  readonly yaml: string;
}

/** A stateful resource or a table that the change deletes or replaces in a guarded environment. */
export interface GuardFinding {
  readonly kind: GuardKind;
  readonly stack: string;
  readonly environment: string;
  /** The resource type; `table` for a table of the config. */
  readonly type: string;
  /** Logical name (the old one for a replacement), or the table key `<source>/<table>`. */
  readonly name: string;
  /** The URN (the old one for a replacement); undefined for a table. */
  readonly urn: string | undefined;
  /** For a replacement: the resource created instead. */
  readonly to: GuardTarget | undefined;
  /**
   * Protected resources of the same component that go with it (a bucket's versioning, policy,
   * encryption…): one allow entry for the resource covers them.
   */
  readonly with: readonly string[];
  /**
   * Logical names of the components it is part of (nearest first), or a table's source id: an
   * allow entry naming one of them covers it (`resource: lab` for everything of source lab).
   */
  readonly within: readonly string[];
  /** Why it is stateful and what is lost, in words (and what forces a replacement). */
  readonly why: string;
  /**
   * For a replacement forced by changed inputs: the config lines whose change made those inputs
   * change (an account id in a bucket's name, a domain in a schema's storage root…); empty when
   * no config line explains it (a program change).
   */
  readonly causes: readonly ConfigChange[];
  /** Which environment config the allow entries are read from (`base`: not in the working tree). */
  readonly configFrom: "head" | "base";
  readonly fix: GuardFix;
}
