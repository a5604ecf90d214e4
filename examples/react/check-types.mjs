// `npm run build` type-checks the app first, against the React typings rtc-widgets ships
// (`rtc-widgets/react`: dist/types/frameworks/react.d.ts in the installed package). A package
// built before those typings existed has none: then the check is left out, and this says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const typings = 'node_modules/rtc-widgets/dist/types/frameworks/react.d.ts';
if (!existsSync(typings)) {
  console.log(`check-types: no ${typings} in the installed rtc-widgets, so no type check`);
} else {
  const r = spawnSync('npm', ['run', '--silent', 'typecheck'], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
}
