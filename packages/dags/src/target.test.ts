import { DAG_AIRFLOW_LINES } from "@hdp/naming";
import { AIRFLOW_TARGETS, airflowTarget, validateAirflowTarget } from "./target";

describe("the Airflow lines DAGs are generated for", () => {
  it("are the ones the config check accepts (@hdp/naming), each with its pins", () => {
    expect(AIRFLOW_TARGETS.map((t) => t.line)).toEqual([...DAG_AIRFLOW_LINES]);
  });

  it.each([
    ["3.0.6", "3.0"],
    ["2.10.3", undefined],
    ["3.0", undefined],
  ])("%s targets line %s", (version, line) => {
    expect(airflowTarget(version)?.line).toBe(line);
    expect(validateAirflowTarget(version).length === 0).toBe(line !== undefined);
  });
});
