/** The YAML of `policies.allowDestroy` entries, as the guard suggests them. */

const yamlScalar = (s: string): string => (/^[A-Za-z0-9_./-]+$/.test(s) ? s : JSON.stringify(s));

/** One `policies.allowDestroy` entry (two lines, unindented). */
export function allowEntryYaml(resource: string): string {
  return [
    `- resource: ${yamlScalar(resource)}`,
    '  reason: "<why the data may go: the change ticket, where the data was archived>"',
  ].join("\n");
}

/** The YAML allowing `resources`, `policies:` included (merge it into the file's own). */
export function allowYaml(resources: readonly string[]): string {
  const entries = resources.flatMap((r) =>
    allowEntryYaml(r)
      .split("\n")
      .map((l) => `    ${l}`),
  );
  return ["policies:", "  allowDestroy:", ...entries].join("\n");
}
