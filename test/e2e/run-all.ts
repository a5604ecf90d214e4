/**
 * `npm run test:e2e`: every test/e2e/*.test.ts in this one process, in name order, sharing one
 * Chromium and one Firefox (helpers/fixture.ts). A file still runs alone too:
 *   node --import tsx --test test/e2e/mesh.test.ts
 * E2E_FILES=mesh,broadcast picks files by name (without .test.ts).
 *
 * Run as a plain script, not under `node --test`: there the whole process is one test, and
 * --test-timeout would limit the run of every file together. Each test states its own timeout.
 */
import { readdirSync } from 'node:fs';
import { after } from 'node:test';
import { shareBrowsers } from './helpers/fixture.js';

const closeShared = shareBrowsers();
after(closeShared);

const picked = process.env.E2E_FILES?.split(',')
  .map((n) => n.trim())
  .filter(Boolean);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => !picked || picked.includes(f.replace(/\.test\.ts$/, '')))
  .sort();
if (picked && files.length !== picked.length) throw new Error(`E2E_FILES: no such file among ${picked.join(', ')}`);
for (const f of files) await import(`./${f}`);
