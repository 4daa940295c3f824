import { defineConfig } from 'vitest/config';

// Node tests: the model, the protocol, the runtime's pure parts, the CLI's file tools.
export default defineConfig({
  define: { __PORTSCOPE_NONCE__: '"test"', __PORTSCOPE_VERSION__: '"0.0.0-test"' },
  test: {
    include: ['tests/node/**/*.test.ts', 'tests/node/**/*.test.tsx'],
    environment: 'node',
  },
});
