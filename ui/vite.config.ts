import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  build: { target: 'safari15', chunkSizeWarningLimit: 2000 },
  test: { environment: 'happy-dom' },
})
