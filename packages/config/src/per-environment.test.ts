import { perEnvironment, releaseEnvironments } from "./per-environment";
import type { Estate } from "./estate";

const estate = (): Estate => ({ environments: [] }) as unknown as Estate;

describe("perEnvironment", () => {
  it("computes once per estate and environment", () => {
    const calls: string[] = [];
    const memo = perEnvironment((_e, env) => {
      calls.push(env);
      return { env };
    });
    const a = estate();
    expect(memo(a, "dev")).toBe(memo(a, "dev"));
    memo(a, "prod");
    memo(estate(), "dev");
    expect(calls).toEqual(["dev", "prod", "dev"]);
  });

  it("releaseEnvironments forgets the other environments of that estate only", () => {
    const calls: string[] = [];
    const memo = perEnvironment((_e, env) => {
      calls.push(env);
      return { env };
    });
    const a = estate();
    const b = estate();
    const devA = memo(a, "dev");
    memo(a, "stage");
    memo(a, "prod");
    const prodB = memo(b, "prod");
    expect(releaseEnvironments(a, "dev")).toBeGreaterThanOrEqual(2);
    expect(memo(a, "dev")).toBe(devA); // kept
    expect(memo(b, "prod")).toBe(prodB); // another estate: untouched
    expect(calls).toEqual(["dev", "stage", "prod", "prod"]);
    memo(a, "prod"); // computed again
    expect(calls).toEqual(["dev", "stage", "prod", "prod", "prod"]);
    expect(releaseEnvironments(estate(), "dev")).toBe(0);
  });
});
