/** What a secret input is recorded as: never its value. */
export const SECRET_MASK = "[secret]";
/** An input the engine would only know after the update (not seen under mocks without preview). */
export const UNKNOWN_MARK = "[unknown]";

/** Sets an own property, even one named `__proto__` (which plain assignment would not create). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}
