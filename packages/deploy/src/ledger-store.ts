/**
 * Where the deploy ledger lives: a file the user names (`--ledger`: a path, `file://…` or
 * `s3://bucket/key`), by default a file in the Pulumi state backend (`PULUMI_BACKEND_URL`, else
 * the backend `pulumi login` chose), so everyone deploying to that backend shares one ledger.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DeployUsageError } from "./order";

/** The ledger's file name inside a backend. */
export const LEDGER_FILE = ".hdp/deploy-ledger.jsonl";

/** Reads and appends the ledger's text. */
export interface LedgerStore {
  /** Where it is, as shown to the user. */
  readonly location: string;
  /** The whole ledger ("" when there is none yet). */
  read(): Promise<string>;
  /** Appends lines (the store serialises concurrent appends of one process). */
  append(text: string): Promise<void>;
}

/** A ledger in a local (or mounted) file. */
export function fileLedger(path: string): LedgerStore {
  return {
    location: path,
    read: () => Promise.resolve(existsSync(path) ? readFileSync(path, "utf8") : ""),
    append: (text) => {
      mkdirSync(dirname(path), { recursive: true });
      // O_APPEND: concurrent writers of whole lines do not interleave on a local file system.
      appendFileSync(path, text);
      return Promise.resolve();
    },
  };
}

/** The backend URL in use: `PULUMI_BACKEND_URL`, else `current` of ~/.pulumi/credentials.json. */
export function backendUrl(
  env: NodeJS.ProcessEnv,
  home: string = env.PULUMI_HOME ?? join(homedir(), ".pulumi"),
): string | undefined {
  const fromEnv = env.PULUMI_BACKEND_URL;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const credentials = join(home, "credentials.json");
  if (!existsSync(credentials)) return undefined;
  try {
    const current = (JSON.parse(readFileSync(credentials, "utf8")) as { current?: unknown })
      .current;
    return typeof current === "string" && current !== "" ? current : undefined;
  } catch {
    return undefined;
  }
}

/** A `file://` URL or path as an absolute path (`~` is the home directory, as Pulumi reads it). */
function localPath(url: string, cwd: string): string {
  let p = url;
  if (p.startsWith("file://~")) p = join(homedir(), p.slice("file://~".length));
  else if (p.startsWith("file://")) {
    const rest = p.slice("file://".length);
    p = rest.startsWith("/") ? fileURLToPath(`file://${rest}`) : rest;
  }
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/** Parses `s3://bucket/key` (query strings such as `?region=` are kept apart). */
export function parseS3Url(url: string): { bucket: string; key: string; region?: string } {
  const u = new URL(url);
  const key = u.pathname.replace(/^\/+/, "");
  const region = u.searchParams.get("region") ?? undefined;
  return { bucket: u.hostname, key, ...(region !== undefined ? { region } : {}) };
}

/**
 * Where the ledger is: `explicit` (from `--ledger`) or the default inside the backend. Throws a
 * usage error, with what to do, when neither gives a place a file can be kept.
 */
export function ledgerLocation(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): { kind: "file"; path: string } | { kind: "s3"; url: string } {
  if (explicit !== undefined) {
    if (explicit.startsWith("s3://")) return { kind: "s3", url: explicit };
    if (/^[a-z][a-z0-9+]*:\/\//i.test(explicit) && !explicit.startsWith("file://")) {
      throw new DeployUsageError(
        `--ledger ${explicit}: only a file path, file://… or s3://bucket/key can hold the ledger`,
      );
    }
    return { kind: "file", path: localPath(explicit, cwd) };
  }
  const backend = backendUrl(env);
  if (backend === undefined) {
    throw new DeployUsageError(
      "no Pulumi backend chosen: run `pulumi login file://$PWD/.pulumi` (see the README), set PULUMI_BACKEND_URL, or pass --ledger <file>",
    );
  }
  if (backend.startsWith("file://")) {
    return { kind: "file", path: join(localPath(backend, cwd), LEDGER_FILE) };
  }
  if (backend.startsWith("s3://")) {
    const u = new URL(backend);
    const prefix = u.pathname.replace(/^\/+|\/+$/g, "");
    u.pathname = `/${prefix === "" ? "" : `${prefix}/`}${LEDGER_FILE}`;
    return { kind: "s3", url: u.toString() };
  }
  throw new DeployUsageError(
    `the backend ${backend} keeps no files: pass --ledger <file or s3://bucket/key> for the deploy ledger`,
  );
}
