/**
 * What a presenter may return for the wire type T (shared/wire): the same shape,
 * with a Date wherever T has a plain string. JSON (Express's res.json, Socket.IO)
 * writes a Date as its ISO string, so the rows' timestamps go out as they are,
 * unconverted, and the result on the wire is T. Literal unions (a status) and
 * numbers stay as they are: only a field typed `string` accepts a Date.
 */
export type Presented<T> = T extends string
  ? string extends T
    ? T | Date
    : T
  : T extends ReadonlyArray<infer U>
    ? Array<Presented<U>>
    : T extends object
      ? { [K in keyof T]: Presented<T[K]> }
      : T;
