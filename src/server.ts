import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
// Imported only now, so that Node compiles the rest of the bundle through the cache.
const { serveCommand } = await import('./commands/serve.js');
await serveCommand(process.env);
