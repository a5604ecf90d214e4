import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// base './': the built app works from any path (the test serves dist/ at its root, you may not).
export default defineConfig({ base: './', plugins: [svelte()] });
