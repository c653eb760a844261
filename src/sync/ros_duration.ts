// ROS 1 duration arithmetic where message_filters relies on its rounding.
import type { Nanos } from '../msgs/time';

/**
 * ros::Duration * double, with ROS's own rounding: the duration goes through double seconds
 * and back (DurationBase::operator* -> fromSec), so a port with exact bigint arithmetic would
 * disagree with ROS on near-ties.
 */
export function scaleDurationLikeRos(d: Nanos, scale: number): Nanos {
  let sec = d / 1_000_000_000n;
  let nsec = d - sec * 1_000_000_000n;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    sec -= 1n;
  }
  const seconds = (Number(sec) + 1e-9 * Number(nsec)) * scale;
  const outSec = Math.floor(seconds);
  const frac = (seconds - outSec) * 1e9;
  const floorFrac = Math.floor(frac);
  // boost::math::round: halves away from zero (frac is never negative here).
  const outNsec = frac - floorFrac >= 0.5 ? floorFrac + 1 : floorFrac;
  return BigInt(outSec) * 1_000_000_000n + BigInt(outNsec);
}
