import module from 'node:module';

/**
 * Turns on Node's on-disk compile cache, so that a later start of the same build skips most
 * of the compiling. `module.enableCompileCache` exists from Node 22.1 on; on older versions
 * this does nothing. Node keeps the cache in `NODE_COMPILE_CACHE`, or else in the system's
 * temporary folder, and `NODE_DISABLE_COMPILE_CACHE=1` turns it off. Only modules imported
 * after this call go through the cache.
 */
export function enableCompileCache(): void {
  const { enableCompileCache: enable } = module as unknown as {
    enableCompileCache?: () => unknown;
  };
  enable?.();
}
