import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientRoot = fileURLToPath(new URL('./client', import.meta.url));
const outputDirectory = fileURLToPath(new URL('./dist/client', import.meta.url));
// `npm run dev` listens on 3000; another API can be proxied with API_PROXY_TARGET.
const apiServer = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: clientRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: outputDirectory,
    emptyOutDir: true,
    // The server owns /assets/* (glyphs, sprites), so the bundle goes to /static/*.
    assetsDir: 'static',
    // No data: URLs for bundled assets: the CSP allows data: only for images.
    assetsInlineLimit: 0,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: apiServer },
      '/assets': { target: apiServer },
    },
  },
  preview: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: apiServer },
      '/assets': { target: apiServer },
    },
  },
});
