// Standalone runtime entry (stub until the runtime lands).
export {};
