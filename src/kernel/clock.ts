// Time comes in through deps.clock everywhere, so tests can hold it still or move it on.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
