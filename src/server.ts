import { serveCommand } from './commands/serve.js';

await serveCommand(process.env);
