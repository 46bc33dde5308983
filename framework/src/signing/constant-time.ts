/**
 * Comparing a signature received from a client with the expected one must not take less time the
 * earlier they differ, or an attacker could find a valid signature byte by byte by timing.
 */
import { timingSafeEqual } from 'node:crypto';

/** True if the two strings are equal, in time that does not depend on where they differ. */
export function constantTimeCompare(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    // timingSafeEqual needs equal lengths. Still run a comparison of the same cost, so a wrong
    // length answers no faster than a wrong content; only the length (public anyway: every
    // signature of one algorithm has the same length) can be learned.
    timingSafeEqual(right, right);
    return false;
  }
  return timingSafeEqual(left, right);
}
