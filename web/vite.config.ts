import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  resolve: {
    alias: { '@core': fileURLToPath(new URL('../src/core', import.meta.url)) },
  },
  plugins: [
    vue(),
    // Element Plus components (and their CSS) are resolved per component so that pages pull only what they
    // use; services called from scripts (ElMessage…) are imported explicitly, their CSS in main.ts.
    Components({
      dirs: [],
      resolvers: [ElementPlusResolver({ importStyle: 'css' })],
      dts: fileURLToPath(new URL('./src/components.d.ts', import.meta.url)),
    }),
  ],
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Groups pull their dependencies in with them, so the framework is captured first: otherwise
          // vue-echarts would drag Vue into the chart chunk and make the charts part of the initial load.
          groups: [
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router|pinia)[\\/]/, priority: 30 },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|async-validator|dayjs|lodash-unified|lodash-es|@vueuse)[\\/]/, priority: 20 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|vue-echarts|tslib)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
