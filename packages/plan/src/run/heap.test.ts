import { BetweenStacks } from "./heap";

describe("BetweenStacks", () => {
  it("collects only once the heap grew by more than the slack since the last collection", () => {
    let heap = 100;
    const collected: number[] = [];
    const gc = () => {
      collected.push(heap);
      heap = 120; // what survives
    };
    const between = new BetweenStacks(gc, () => heap, 50);
    heap = 140;
    expect(between.collect()).toBe(false);
    heap = 151;
    expect(between.collect()).toBe(true);
    expect(collected).toEqual([151]);
    heap = 170; // 120 + 50: not more than the slack
    expect(between.collect()).toBe(false);
    heap = 171;
    expect(between.collect()).toBe(true);
    expect(collected).toEqual([151, 171]);
  });

  it("collects now when told, whatever the growth, and counts from there", () => {
    let heap = 100;
    let collections = 0;
    const between = new BetweenStacks(
      () => {
        collections += 1;
        heap = 90;
      },
      () => heap,
      50,
    );
    expect(between.collect(true)).toBe(true);
    expect(collections).toBe(1);
    heap = 140; // 90 + 50
    expect(between.collect()).toBe(false);
    expect(collections).toBe(1);
  });

  it("does nothing without gc()", () => {
    expect(new BetweenStacks(undefined, () => 1e12, 0).collect(true)).toBe(false);
    expect(new BetweenStacks(undefined, () => 1e12, 0).collect()).toBe(false);
  });
});
