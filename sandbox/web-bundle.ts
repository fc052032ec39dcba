// Bundles the sandbox page (sandbox/web, Preact + TypeScript) with esbuild, in memory, at start.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface WebBundle {
  html: string;
  js: string;
  css: string;
}

export async function bundleWeb(webDir: string): Promise<WebBundle> {
  const result = await build({
    entryPoints: [join(webDir, 'main.tsx')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no bundle for the sandbox page');
  const [html, css] = await Promise.all([readFile(join(webDir, 'index.html'), 'utf8'), readFile(join(webDir, 'styles.css'), 'utf8')]);
  return { html, js: output.text, css };
}
