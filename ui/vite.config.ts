// Vite builds the front end into `dist`, which the Tauri shell embeds; Vitest runs the unit tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  clearScreen: false,
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    // The app loads from disk; one chunk keeps start-up simple and fast.
    chunkSizeWarningLimit: 2000,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
    // CI machines are shared; a slow run is not a failure.
    testTimeout: 30_000,
  },
});
