// Vite turns CSS imports into <link>s at build time; TypeScript only needs to know they exist.
declare module '*.css';
