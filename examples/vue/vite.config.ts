import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  // The built app works from any path (the test serves dist/ at its root, you may not).
  base: './',
  plugins: [
    vue({
      // rtc-* tags are custom elements, not Vue components: Vue then sets what the element has as a property, the rest as attributes.
      template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('rtc-') } },
    }),
  ],
});
