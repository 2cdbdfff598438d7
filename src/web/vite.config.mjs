// The staff console's build (`npm run build:web`, or `npm run build` with the server): writes dist/web,
// which the Nest process serves at /.
// Vite 8 transforms TSX itself (oxc); the automatic runtime needs no React import per file.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  // This folder, wherever vite is started from; outDir is relative to it.
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline script anywhere: the console's CSP allows only its own files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
