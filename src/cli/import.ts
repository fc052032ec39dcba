// `npm run import -- FILE --team T [--as Uxxx] [--targets] [--commit]`: see import-command.ts.
import { runImportCli } from './import-command.js';

process.exitCode = await runImportCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
