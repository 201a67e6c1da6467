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
    sourcemap: true,
    // antd alone is ~600 kB minified; vendor code sits in chunks of its own so an app
    // release does not invalidate the browser's cache of them.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|react-router|scheduler|cookie|set-cookie-parser)[\\/]/ },
            { name: 'antd', test: /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|dayjs|@babel[\\/]runtime|classnames|clsx|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|stylis|@emotion)[\\/]/ },
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
