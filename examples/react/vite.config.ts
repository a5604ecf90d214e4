import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// base './': the built app works from any path (the test serves dist/ at its root, you may not).
export default defineConfig({ base: './', plugins: [react()] });
