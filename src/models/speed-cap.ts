// A cap on training steps per second for a worker task, so that a reader can watch a run that would otherwise be
// over in a blink (or slow one down to follow it). A token bucket: tokens accrue at `speed` per second and a step
// spends one; the bucket holds at most BURST_SECONDS of steps, so a pause is not made up for by a burst afterwards.

const BURST_SECONDS = 0.05;

export class SpeedCap {
  #tokens = 0;
  #refilled: number;

  constructor(private readonly now: () => number) {
    this.#refilled = now();
  }

  /** May one more step run now at this many steps per second? Spends a token if so. Infinity: always. */
  take(speed: number): boolean {
    if (!Number.isFinite(speed)) return true;
    const t = this.now();
    this.#tokens = Math.min(Math.max(1, speed * BURST_SECONDS), this.#tokens + ((t - this.#refilled) / 1000) * speed);
    this.#refilled = t;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }
}
