/**
 * Builds dist/: src/server.ts and src/cli.ts bundled with their dependencies into ES modules,
 * so that dist/ runs with no node_modules and a start reads a few files instead of hundreds.
 * The demo (src/demo, with oidc-provider and the demo data) is imported lazily and lands in a
 * chunk of its own, which a production start never loads. The build fails if that changes.
 *
 * Usage: node scripts/build.mjs (what `npm run build` runs).
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const OUT_DIR = 'dist';
const DEMO_ENTRY = 'src/demo/start.ts';
/** Inputs that only the demo needs, which a production start must not load. */
const DEMO_ONLY_INPUT = /^src\/demo\/|(^|\/)node_modules\/oidc-provider\//;

// Bundled CommonJS dependencies (pino, undici) call require() for Node's built-in modules,
// which an ES module lacks, so each output file gets one made for its own location.
const REQUIRE_SHIM = [
  "import { createRequire as __bridgeCreateRequire } from 'node:module';",
  'const require = __bridgeCreateRequire(import.meta.url);',
].join('\n');

/** Bundles the parts of undici that src/ imports, not its whole index (see the file). */
const undiciCore = {
  name: 'undici-core',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: resolve('scripts/undici-core.cjs') }));
  },
};

const result = await build({
  entryPoints: ['src/server.ts', 'src/cli.ts'],
  outdir: OUT_DIR,
  // One folder down, because src/demo/banner.ts finds the CLI at ../cli.js from its own module.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  banner: { js: REQUIRE_SHIM },
  plugins: [undiciCore],
  // Not minified, so a stack trace in the logs stays readable without source maps. The maps
  // point it back to src/ under --enable-source-maps, which is off by default because it added
  // about 0.1 s to the first tools/call after a start on a 2-core machine.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
});
checkDemoStaysLazy(result.metafile);
await removeStaleFiles(OUT_DIR, new Set(Object.keys(result.metafile.outputs)));

/**
 * Deletes what earlier builds left in the output folder. Deleting after the build, not before,
 * leaves dist/ whole for a process that starts from it meanwhile, such as a test of another run.
 */
async function removeStaleFiles(folder, outputs) {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      await removeStaleFiles(path, outputs);
      if ((await readdir(path)).length === 0) {
        await rmdir(path);
      }
    } else if (!outputs.has(path)) {
      await rm(path, { force: true });
    }
  }
}

/**
 * Fails when a production start could load demo code: walks every output that dist/server.js
 * can import, statically or lazily, except through the demo's own lazy chunk.
 */
function checkDemoStaysLazy(metafile) {
  const demoChunk = Object.keys(metafile.outputs).find(
    (output) => metafile.outputs[output].entryPoint === DEMO_ENTRY,
  );
  if (demoChunk === undefined) {
    throw new Error(`The build made no chunk of its own for ${DEMO_ENTRY}; import it lazily.`);
  }

  const pending = [`${OUT_DIR}/server.js`];
  const visited = new Set();
  while (pending.length > 0) {
    const output = pending.pop();
    if (visited.has(output) || output === demoChunk) {
      continue;
    }
    visited.add(output);
    const { inputs, imports } = metafile.outputs[output];
    const demoInput = Object.keys(inputs).find((input) => DEMO_ONLY_INPUT.test(input));
    if (demoInput !== undefined) {
      throw new Error(
        `${output}, which a production start loads, contains ${demoInput}; production code ` +
          `may import the demo only lazily, with await import() of ${DEMO_ENTRY}.`,
      );
    }
    pending.push(...imports.filter((item) => !item.external).map((item) => item.path));
  }
}
