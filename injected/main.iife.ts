// MAIN-world entry (stub until the runtime lands).
export {};
