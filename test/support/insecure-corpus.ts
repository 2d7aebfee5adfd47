/**
 * The insecure corpus: test/fixtures/insecure/<case>/ holds one insecure config change or
 * component usage that `hdp plan` must catch. A case is
 *
 * - `case.yaml`: `description` (the mistake, as a reviewer would name it), `stack` (the stack to
 *   plan) and `rules` (the rules that must report it as mandatory, normally one);
 * - `files/` (config files laid over a copy of test/fixtures/base; `remove.txt` lists base files
 *   to delete: see `materialize` in ./fixture-tree) and/or `program.ts` (a `--program` module:
 *   the platform's `buildStack` plus the insecure usage).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { FIXTURES } from "./fixture-tree";

export const INSECURE_CASES = join(FIXTURES, "insecure");

/** What a case directory may hold. */
export const CASE_ENTRIES = ["case.yaml", "files", "program.ts", "remove.txt"] as const;

/** One case, as its directory holds it. */
export interface InsecureCase {
  readonly name: string;
  readonly dir: string;
  /** `case.yaml` as parsed (checked by the corpus test). */
  readonly spec: { readonly description: string; readonly stack: string; readonly rules: string[] };
  /** The case's `program.ts`, when it has one. */
  readonly program: string | undefined;
  /** Entries of the case directory, sorted. */
  readonly entries: readonly string[];
}

/** Names of the cases, sorted. */
export function insecureCases(): string[] {
  return readdirSync(INSECURE_CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Reads case `name`; `spec` is whatever case.yaml holds (an empty object when it is missing). */
export function readCase(name: string): InsecureCase {
  const dir = join(INSECURE_CASES, name);
  const yamlFile = join(dir, "case.yaml");
  const program = join(dir, "program.ts");
  return {
    name,
    dir,
    spec: (existsSync(yamlFile)
      ? parse(readFileSync(yamlFile, "utf8"))
      : {}) as InsecureCase["spec"],
    program: existsSync(program) ? program : undefined,
    entries: readdirSync(dir).sort(),
  };
}
