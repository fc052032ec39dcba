import { seedPostgres } from './seed.js';
import { measureQueries } from './queries.js';
import { writeFileSync } from 'node:fs';
if (process.argv[2] !== 'noseed') {
  const t = performance.now();
  const r = await seedPostgres();
  console.log('seed', r, (performance.now() - t) / 1000);
}
const q = await measureQueries();
writeFileSync('/tmp/explain.md', q.explain);
