import { loadEstateOrThrow } from "@hdp/config";
import { localTarget, simulateData } from "@hdp/simulate";
import { rmSync } from "node:fs";
const [fmt, rows] = process.argv.slice(2);
const out = "/tmp/i13perf"; rmSync(out, { recursive: true, force: true });
const t0 = performance.now();
void simulateData({ estate: loadEstateOrThrow("configs"), env: "dev", source: "epic-clarity", table: "patients", rows: Number(rows), days: 1, seed: 1, format: fmt as "csv" }, localTarget(out)).then((r) => {
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(); console.log("cpu", ((c.user + c.system) / 1e6).toFixed(1), "s", Math.round(r.rows / ((c.user + c.system) / 1e6)), "rows/cpu-s"); console.log(fmt, r.rows, "rows", s.toFixed(1), "s", Math.round(r.rows / s), "rows/s", "rss", Math.round(process.memoryUsage().rss / 2**20), "MB");
});
