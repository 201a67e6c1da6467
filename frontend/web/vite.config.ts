/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API is served at /graphql by the same origin as the SPA. In `vite dev` it is
// proxied to the backend (`regsafe dev`, :8000), by pathname, for GET and POST alike.
const API_TARGET = process.env.REGSAFE_API_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql': { target: API_TARGET, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: API_TARGET, changeOrigin: false },
    },
  },
  build: {
    // No source maps in production: they would publish the whole source.
    sourcemap: false,
    // dist/.vite/manifest.json: the chunk graph, read by the first-load budget test
    // (tests/web/test_spa_budget.py). Not served (the server refuses dot-directories).
    manifest: true,
    // The Chart chunk (ECharts, lazily loaded) is ~550 kB minified.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Pages are loaded lazily (src/app/routes.tsx). React and the GraphQL client sit in
        // chunks of their own so an app release does not invalidate the browser's cache of
        // them; antd is left to the automatic splitting, so the first page downloads only
        // the components it renders (one antd chunk would put all of antd, ~1.1 MB, on it).
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|react-router|scheduler|cookie|set-cookie-parser)[\\/]/ },
            { name: 'graphql', test: /[\\/]node_modules[\\/](urql|@urql|wonka|graphql|@0no-co)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // A whole-app render under jsdom can take seconds on a loaded 2-core CI machine.
    testTimeout: 30000,
  },
});
