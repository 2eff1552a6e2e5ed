// Writes schemas/glassbox-model.schema.json from the schema objects in src/modelFile/schema
// (the one source the validator checks against). Run after `tsc -b`: npm run schema.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { renderSchemaJson } = require(join(root, 'out', 'src', 'modelFile', 'schema', 'modelSchema.js'));
mkdirSync(join(root, 'schemas'), { recursive: true });
writeFileSync(join(root, 'schemas', 'glassbox-model.schema.json'), renderSchemaJson());
console.log('wrote schemas/glassbox-model.schema.json');
