// Build step (npm run build): writes schema/config.schema.json from the zod config schema.
// test/config/schema.test.ts fails when the committed file is stale.
import { join } from 'node:path';
import { configJsonSchemaText } from '../engine/config-schema.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { packageRoot } from '../util/package-root.js';

const target = join(packageRoot(), 'schema', 'config.schema.json');
await writeFileAtomic(target, configJsonSchemaText());
console.log(`wrote ${target}`);
