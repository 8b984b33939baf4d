import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The service (dotnet run --project src/Silo) answers /api, /auth and /hubs; `npm run dev` proxies
// them so the dashboard can be worked on with hot reload. The production build lands in dist/,
// which src/Web embeds in the .NET assembly (see src/Web/OrleansReleases.Web.csproj).
const service = process.env.RELEASES_URL ?? 'http://127.0.0.1:5080'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': service,
      '/auth': service,
      '/hubs': { target: service, ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.mjs'],
    restoreMocks: true,
  },
})
