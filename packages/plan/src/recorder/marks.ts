/** What a secret input is recorded as: never its value. */
export const SECRET_MASK = "[secret]";
/** An input the engine would only know after the update (not seen under mocks without preview). */
export const UNKNOWN_MARK = "[unknown]";
