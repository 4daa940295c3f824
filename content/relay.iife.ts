// Isolated-world relay entry (stub until the relay lands).
export {};
