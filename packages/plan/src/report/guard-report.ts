/**
 * The destructive-change guard in words: the problem message of a blocked finding (what, why,
 * how to allow it), and the guard's section of the text and markdown reports — blocked
 * findings, then allowed ones with their reasons, then allow entries that allowed nothing.
 */
import type {
  GuardAllowed,
  GuardFinding,
  GuardKind,
  GuardReport,
  UnusedAllowance,
} from "../guard/guard";
import { allowEntryYaml, allowYaml } from "../guard/guard-yaml";

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const n = (x: number): string => x.toLocaleString("en-US");
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const plural = (x: number, one: string, many = `${one}s`): string =>
  `${n(x)} ${x === 1 ? one : many}`;

/** `aws:s3/bucket:Bucket catalog-root-bucket -> catalog-store-bucket`, or `table payroll/x`. */
function subject(f: GuardFinding): string {
  const to =
    f.to === undefined ? "" : ` -> ${f.to.stack === f.stack ? "" : `${f.to.stack}/`}${f.to.name}`;
  return `${f.type} ${f.name}${to}`;
}

function withText(f: GuardFinding): string {
  if (f.with.length === 0) return "";
  const shown = f.with.slice(0, 3).join(", ");
  return ` (with ${shown}${f.with.length > 3 ? ` and ${n(f.with.length - 3)} more` : ""})`;
}

const VERB: Readonly<Record<GuardKind, string>> = {
  delete: "deleting",
  replace: "replacing",
  table: "dropping",
};

const LABEL: Readonly<Record<GuardKind, string>> = {
  delete: "delete ",
  replace: "replace",
  table: "drop   ",
};

/** Where the entry goes; for an environment only in the base revision, why it must be there. */
function where(f: { configFrom: "head" | "base"; environment: string; fix: { file: string } }) {
  return f.configFrom === "base"
    ? `environment ${f.environment} is not in the working tree, so it is guarded with its config at the base revision: the entry must already be under policies.allowDestroy in ${f.fix.file} there (merge it before removing the environment)`
    : `add a reviewed entry under policies.allowDestroy in ${f.fix.file}`;
}

/** The problem message of a blocked finding: what, why, and the entry that allows it. */
export function findingMessage(f: GuardFinding): string {
  const head = `stack ${f.stack} (${f.environment}): ${VERB[f.kind]} ${subject(f)}${withText(f)} is blocked by the destructive-change guard`;
  return [
    head,
    `  why: ${f.why}`,
    `  to allow it, ${where(f)}:`,
    ...allowEntryYaml(f.fix.resource)
      .split("\n")
      .map((l) => `    ${l}`),
  ].join("\n");
}

/** One YAML block per file allowing every blocked finding of that file. */
export function allowBlocks(
  findings: readonly GuardFinding[],
): { file: string; configFrom: "head" | "base"; environment: string; yaml: string }[] {
  const byFile = new Map<string, GuardFinding[]>();
  for (const f of findings) byFile.set(f.fix.file, [...(byFile.get(f.fix.file) ?? []), f]);
  return [...byFile].map(([file, fs]) => ({
    file,
    configFrom: fs[0].configFrom,
    environment: fs[0].environment,
    yaml: allowYaml([...new Set(fs.map((f) => f.fix.resource))]),
  }));
}

const allowedBy = (a: GuardAllowed): string =>
  `allowed by policies.allowDestroy in ${a.fix.file}: ${a.reason}`;

const unusedLine = (u: UnusedAllowance): string =>
  `${u.file}: allowDestroy entry "${u.resource}" allowed nothing in this plan${u.note !== undefined ? ` (${u.note})` : ""}: remove it if it is stale`;

function summary(r: GuardReport): string {
  const unguarded = r.environments.filter((e) => !e.guarded).map((e) => e.name);
  const note = unguarded.length > 0 ? ` (not guarded: ${unguarded.join(", ")})` : "";
  return `destructive-change guard${note}: ${n(r.findings.length)} blocked, ${n(r.allowed.length)} allowed, ${plural(r.unusedAllowances.length, "unused allow entry", "unused allow entries")}`;
}

const isEmpty = (r: GuardReport): boolean =>
  r.findings.length + r.allowed.length + r.unusedAllowances.length === 0;

function blockIntro(b: ReturnType<typeof allowBlocks>[number], count: number): string {
  const them = count === 1 ? "it" : "them";
  return b.configFrom === "base"
    ? `environment ${b.environment} is not in the working tree, so it is guarded with its config at the base revision: to allow ${them}, ${b.file} must hold this there first (merge it before removing the environment):`
    : `to allow ${them}, add to ${b.file} (reviewed, each with its real reason):`;
}

/** The guard's lines of the text report; none when it has nothing to say. */
export function guardText(r: GuardReport): string[] {
  if (isEmpty(r)) return [];
  const out = [summary(r)];
  out.push(
    ...r.findings.map(
      (f) => `  blocked  ${f.stack}  ${LABEL[f.kind]}  ${subject(f)}${withText(f)}`,
    ),
  );
  for (const b of allowBlocks(r.findings)) {
    const count = r.findings.filter((f) => f.fix.file === b.file).length;
    out.push(`  ${blockIntro(b, count)}`, ...b.yaml.split("\n").map((l) => `    ${l}`));
  }
  out.push(
    ...r.allowed.map(
      (a) => `  allowed  ${a.stack}  ${LABEL[a.kind]}  ${subject(a)}: ${allowedBy(a)}`,
    ),
    ...r.unusedAllowances.map((u) => `  unused   ${unusedLine(u)}`),
    "",
  );
  return out;
}

function capped<T>(items: readonly T[], max: number, line: (t: T) => string): string[] {
  const shown = items.slice(0, max).map(line);
  if (items.length > max) shown.push(`- …and ${n(items.length - max)} more`);
  return shown;
}

const mdSubject = (f: GuardFinding): string =>
  `${code(f.stack)} ${LABEL[f.kind].trim()} ${f.kind === "table" ? "table" : code(f.type)} ${f.name}${f.to === undefined ? "" : ` → ${f.to.name}`}${withText(f)}`;

/** The guard's section of the markdown report (lists capped at `max`); none when empty. */
export function guardMarkdown(r: GuardReport, max = 25): string[] {
  if (isEmpty(r)) return [];
  const out = ["#### Destructive-change guard", "", `${summary(r)}.`, ""];
  if (r.findings.length > 0) {
    out.push(
      "**Blocked** (each needs a reviewed `policies.allowDestroy` entry in its environment's config)",
      "",
      ...capped(r.findings, max, (f) => `- ${mdSubject(f)}: ${f.why}`),
      "",
    );
    for (const b of allowBlocks(r.findings)) {
      const fs = r.findings.filter((f) => f.fix.file === b.file);
      const shown = fs.slice(0, Math.max(max, 1));
      out.push(
        capitalize(blockIntro(b, fs.length).replace(b.file, code(b.file))),
        "",
        "```yaml",
        allowYaml([...new Set(shown.map((f) => f.fix.resource))]),
        ...(fs.length > shown.length ? [`    # …and ${n(fs.length - shown.length)} more`] : []),
        "```",
        "",
      );
    }
  }
  if (r.allowed.length > 0) {
    out.push(
      "**Allowed**",
      "",
      ...capped(
        r.allowed,
        max,
        (a) =>
          `- ${mdSubject(a)}: allowed by \`policies.allowDestroy\` in ${code(a.fix.file)}: ${a.reason}`,
      ),
      "",
    );
  }
  if (r.unusedAllowances.length > 0) {
    out.push(
      "**Allow entries that allowed nothing** (stale? review them)",
      "",
      ...capped(
        r.unusedAllowances,
        max,
        (u) =>
          `- ${code(u.file)}: ${code(u.resource)} — ${u.reason}${u.note !== undefined ? ` (${u.note})` : ""}`,
      ),
      "",
    );
  }
  return out;
}
