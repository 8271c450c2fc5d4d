/// <reference types='vitest' />
import { build, defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { nxViteTsPaths } from '@nx/vite/plugins/nx-tsconfig-paths.plugin';
import { nxCopyAssetsPlugin } from '@nx/vite/plugins/nx-copy-assets.plugin';
import { precompress } from './precompress.mts';

const CONFIG_FILE = import.meta.filename;
/**
 * The app's modules of the first screen that lazy pages share too: one chunk with the entry's, instead of a chunk
 * per shared module (a handful of small files, each compressed apart).
 */
const SHELL =
  /(apps[\\/]storefront[\\/]src[\\/](i18n[\\/]i18n|auth[\\/]auth-context|api[\\/](client|auth-api)|layout[\\/](common|icons)|pages[\\/]home-|features[\\/](catalog[\\/](api|format|ProductCard|product-query)))|libs[\\/]domain[\\/]src[\\/]money)\.|(i18n[\\/]locales|features[\\/]catalog[\\/]locales)[\\/]zh-CN\.json/;
const FRAMEWORK =
  /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@remix-run[\\/]router|@tanstack[\\/](query-core|react-query)|i18next|react-i18next|use-sync-external-store)[\\/]/;

/**
 * After the browser's build, the server's: src/entry-server.tsx bundled with its dependencies into
 * dist/apps/storefront-server/entry-server.mjs, which the API loads to render home and product pages first
 * (apps/api/src/common/web-delivery.ts). It is beside the storefront's folder, not in it (never served).
 */
function serverBuild(): Plugin {
  return {
    name: 'xiangbo-server-build',
    apply: 'build',
    async closeBundle() {
      await build({ configFile: CONFIG_FILE, logLevel: 'warn', build: { ssr: 'src/entry-server.tsx' } });
    },
  };
}

export default defineConfig(({ isSsrBuild }) => ({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/storefront',
  server: {
    port: 4200,
    host: 'localhost',
    // The API runs on :3000 in dev; in production it serves this build itself, so the app only uses relative URLs.
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
  preview: {
    port: 4300,
    host: 'localhost',
  },
  plugins: isSsrBuild
    ? [react(), nxViteTsPaths()]
    : [react(), nxViteTsPaths(), nxCopyAssetsPlugin(['*.md']), precompress(), serverBuild()],
  ssr: { noExternal: true, target: 'node' as const },
  // Uncomment this if you are using workers.
  // worker: {
  //   plugins: () => [ nxViteTsPaths() ],
  // },
  build: isSsrBuild
    ? {
        outDir: '../../dist/apps/storefront-server',
        emptyOutDir: true,
        copyPublicDir: false,
        rollupOptions: {
          output: { format: 'es' as const, entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
        },
      }
    : {
        outDir: '../../dist/apps/storefront',
        emptyOutDir: true,
        reportCompressedSize: true,
        manifest: true,
        modulePreload: {
          polyfill: false, // every browser we serve supports modulepreload
          // index.html preloads every chunk the entry imports, so they download in parallel with it. A lazy page
          // preloads only its stylesheets (linked before it renders, no unstyled flash): the browser finds the
          // scripts it imports when the page's chunk arrives. No list of every lazy page's scripts in the entry
          // (~1.8 KB gzip of home's first load), and no <link rel="modulepreload"> appended for each of them when
          // a page loads (the product page and live room hydrate with some twenty: ~10 ms of a phone's main
          // thread each time); a page opened later waits one round trip more for the scripts its chunk imports.
          resolveDependencies: (_file: string, deps: string[], { hostType }: { hostType: 'html' | 'js' }) =>
            hostType === 'html' ? deps : deps.filter((d) => d.endsWith('.css')),
        },
        rollupOptions: {
          output: {
            // What every page runs first (React, the router, the query cache, i18next) in one chunk: one request,
            // compressed as a whole, instead of pieces split wherever a lazy page happened to share them.
            codeSplitting: {
              groups: [
                { name: 'framework', test: FRAMEWORK },
                { name: 'shell', test: SHELL },
              ],
            },
          },
        },
        commonjsOptions: {
          transformMixedEsModules: true,
        },
      },
  test: {
    name: 'storefront',
    watch: false,
    globals: true,
    environment: 'jsdom',
    include: ['{src,tests}/**/*.{test,spec}.{js,mjs,cjs,ts,mts,cts,jsx,tsx}'],
    // Lazily loaded pages and translations, loaded before the tests (they render synchronously).
    setupFiles: ['src/test/setup.ts'],
    reporters: ['default'],
    coverage: {
      reportsDirectory: '../../coverage/apps/storefront',
      provider: 'v8' as const,
    },
  },
}));
