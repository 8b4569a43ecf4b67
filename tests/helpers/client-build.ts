import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/config.ts';

function newestModification(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestModification(path.join(target, entry)));
  return newest;
}

/** Builds dist/client when it is missing or older than the client sources it comes from. */
export function ensureClientBuilt(): void {
  const built = path.join(projectRoot, 'dist/client/index.html');
  const sources = ['client', 'vite.config.ts'].map((entry) => path.join(projectRoot, entry));
  const sharedSchemas = path.join(projectRoot, 'server');
  const schemaFiles = fs
    .readdirSync(sharedSchemas, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.schema.ts'))
    .map((file) => path.join(sharedSchemas, file));
  const newestSource = Math.max(...[...sources, ...schemaFiles].map(newestModification));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource) return;
  process.stdout.write('[e2e] building the client (dist/client is missing or older than client/)\n');
  execFileSync(process.execPath, [path.join(projectRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: projectRoot,
    stdio: 'inherit',
    // Vitest sets NODE_ENV=test, and Vite keeps a set NODE_ENV: the browser tests would drive React's
    // development build (slower, other code paths) instead of the bundle people get from `npm run build`.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
