// The sandbox's "now": real time shifted by whatever the person set on the page, so the app,
// the stand-in's message timestamps and the digest tick all agree on the date. It keeps running.
import type { Clock } from '../src/deps.js';

export class SandboxClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves "now" to `at` (it runs on from there); null goes back to real time. */
  set(at: Date | null): void {
    this.offsetMs = at === null ? 0 : at.getTime() - Date.now();
  }

  /** True when "now" is not real time. */
  get shifted(): boolean {
    return this.offsetMs !== 0;
  }
}
