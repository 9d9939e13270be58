import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

// Served by the API under /console/ (api/.../http/ConsoleSite.java); the build lands in
// target/dist, which the api module packs into its jar.
export default defineConfig({
  base: '/console/',
  plugins: [
    vue(),
    // Element Plus on demand: only the components the templates use, each with its own CSS.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ],
  build: { outDir: 'target/dist', emptyOutDir: true, manifest: true, chunkSizeWarningLimit: 1200 },
});
