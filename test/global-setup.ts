import { execFileSync } from 'node:child_process';

/** Builds dist/ once, for the tests that run the built CLI and server as separate processes. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
