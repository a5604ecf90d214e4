// Removes build output (dist/, and the server package's server/dist/) before a build, so deleted
// sources never linger in a package.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

for (const dir of ['../dist', '../server/dist']) rmSync(fileURLToPath(new URL(dir, import.meta.url)), { recursive: true, force: true });
