import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  // Element Plus per component (with its styles) rather than whole: the first
  // screen parses and matches only what it uses (docs/performance.md).
  plugins: [vue(), components({ resolvers: [ElementPlusResolver()], dts: false })],
  clearScreen: false,
  build: { target: 'safari15', chunkSizeWarningLimit: 2000 },
  test: { environment: 'happy-dom' },
})
