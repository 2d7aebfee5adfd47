// Packs every publishable workspace package into one folder (default `tarballs/`): what
// `pnpm -r pack` does, without the private root (`health-data-platform`) and private packages
// such as `@hdp/testing`, which `pnpm -r pack` packs too. One `pnpm -r pack` run, filtered to
// the publishable packages by name, so pnpm's own rules (prepack, files, publishConfig) apply.
//
//   pnpm run pack:publishable [destination]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const dest = resolve(process.argv[2] ?? join(ROOT, "tarballs"));

const names = readdirSync(join(ROOT, "packages"))
  .map((d) => join(ROOT, "packages", d, "package.json"))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, "utf8")))
  .filter((m) => m.private !== true)
  .map((m) => m.name)
  .sort();
if (names.length === 0) {
  console.error("pack: no publishable package under packages/");
  process.exit(1);
}

mkdirSync(dest, { recursive: true });
// Under `pnpm run`, npm_execpath is pnpm itself; otherwise the pnpm on PATH.
const execpath = process.env.npm_execpath;
const [command, prefix] =
  execpath !== undefined && /pnpm/.test(execpath)
    ? /\.(c|m)?js$/.test(execpath)
      ? [process.execPath, [execpath]]
      : [execpath, []]
    : ["pnpm", []];
const r = spawnSync(
  command,
  [...prefix, "-r", ...names.flatMap((n) => ["--filter", n]), "pack", "--pack-destination", dest],
  { cwd: ROOT, stdio: "inherit" },
);
process.exit(r.status ?? 1);
