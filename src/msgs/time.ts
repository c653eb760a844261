// One internal time representation: integer nanoseconds as bigint. Sensor stamps since the epoch
// exceed 2^53 ns, so a JS number would round them and break exact-time sync and golden replays.
import type { Time } from './types';

export type Nanos = bigint;

export const NS_PER_SEC = 1_000_000_000n;

/** builtin_interfaces/Time -> nanoseconds. Throws on non-finite or negative fields. */
export function timeToNanos(t: Time): Nanos {
  if (!Number.isInteger(t.sec) || !Number.isInteger(t.nanosec) || t.nanosec < 0 || t.nanosec >= 1e9) {
    throw new RangeError(
      `timeToNanos: invalid builtin_interfaces/Time {sec: ${t.sec}, nanosec: ${t.nanosec}}; ` +
        'expected integer sec and nanosec in [0, 1e9)',
    );
  }
  return BigInt(t.sec) * NS_PER_SEC + BigInt(t.nanosec);
}

/** nanoseconds -> builtin_interfaces/Time (floor division, so nanosec is always in [0, 1e9)). */
export function nanosToTime(ns: Nanos): Time {
  let sec = ns / NS_PER_SEC;
  let nanosec = ns % NS_PER_SEC;
  if (nanosec < 0n) {
    nanosec += NS_PER_SEC;
    sec -= 1n;
  }
  return { sec: Number(sec), nanosec: Number(nanosec) };
}

/** Seconds (float) between two stamps, b - a. Exact enough for intervals of any bag length. */
export function secondsBetween(a: Nanos, b: Nanos): number {
  return Number(b - a) / 1e9;
}

export function nanosToSeconds(ns: Nanos): number {
  return Number(ns) / 1e9;
}

export function secondsToNanos(s: number): Nanos {
  return BigInt(Math.round(s * 1e9));
}
