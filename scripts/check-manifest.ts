// Validates manifest.yml against Slack's published manifest JSON Schema (draft-07).
// Usage: tsx scripts/check-manifest.ts [path/to/manifest.schema.1.0.0.json]
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const schemaPath = process.argv[2] ?? '../shared/slack/manifest.schema.1.0.0.json';
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
const manifest: unknown = parse(readFileSync('manifest.yml', 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);
if (validate(manifest)) {
  console.log('manifest.yml is valid against', schemaPath);
} else {
  for (const error of validate.errors ?? []) console.error(`manifest.yml${error.instancePath || '/'} ${error.message}`);
  process.exit(1);
}
