// Writes schemas/glassbox-model.schema.json from the schema objects in src/modelFile/schema
// (the one source the validator checks against), and schemas/glassbox-model.completion.schema.json,
// the same without validation keywords, for the editor (package.json `jsonValidation`: completion
// and hovers; Glassbox's own validator reports the problems). Run after `tsc -b`: npm run schema.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { renderSchemaJson } = require(join(root, 'out', 'src', 'modelFile', 'schema', 'modelSchema.js'));
const { renderCompletionSchemaJson } = require(join(root, 'out', 'src', 'modelFile', 'schema', 'completionSchema.js'));
mkdirSync(join(root, 'schemas'), { recursive: true });
writeFileSync(join(root, 'schemas', 'glassbox-model.schema.json'), renderSchemaJson());
writeFileSync(join(root, 'schemas', 'glassbox-model.completion.schema.json'), renderCompletionSchemaJson());
console.log('wrote schemas/glassbox-model.schema.json and schemas/glassbox-model.completion.schema.json');
