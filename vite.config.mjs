// The staff console (src/web) build: `vite build` writes dist/web, which the Nest process serves at /.
// Vite 8 transforms TSX itself (oxc); the automatic runtime needs no React import per file.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
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
