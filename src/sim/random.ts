// Counter-based (stateless) random numbers: every value is a hash of (seed, stream, index), so any
// frame of a scene can be rendered on its own, in any order or on any worker, and still come out
// bit-identical. A sequential PRNG would make frame k depend on having rendered frames 0..k-1.

/** 32-bit integer finaliser (murmur3 fmix32): a well-mixed hash of one 32-bit value. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Unsigned 32-bit hash of up to four integers (each taken modulo 2^32). */
export function hashInts(a: number, b = 0, c = 0, d = 0): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b | 0, 0x27d4eb2f) ^ 0x165667b1);
  h = fmix32(h ^ Math.imul(c | 0, 0x61c88647) ^ 0x2545f491);
  h = fmix32(h ^ Math.imul(d | 0, 0x5851f42d) ^ 0x7f4a7c15);
  return h;
}

/** Uniform value in [0, 1) determined by up to four integers. */
export function hashUnit(a: number, b = 0, c = 0, d = 0): number {
  return hashInts(a, b, c, d) / 4294967296;
}

/** Stable 32-bit hash of a string (FNV-1a), to turn names such as camera names into streams. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
