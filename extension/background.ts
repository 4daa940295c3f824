// Background entry (stub until the relay lands).
export {};
