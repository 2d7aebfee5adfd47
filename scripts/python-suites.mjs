// The Python projects the test command checks: ruff (lint + format check) on `dir`, then pytest run
// from `dir` (its pyproject.toml holds the pytest and ruff settings) writing JUnit XML to `results`
// (relative to the repository root, gitignored). Add a project here to have the test command run it.
export const PYTHON_SUITES = [
  { dir: "pipelines", args: [], results: ".pytest-results-pipelines.xml" },
];
