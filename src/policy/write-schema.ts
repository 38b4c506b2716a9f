// `npm run policies:schema`: writes policies/policy.schema.json from src/policy/schema.ts, for
// editors that check YAML against a JSON Schema. test/policies.test.ts fails if it is stale.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { paths } from '../paths.ts';
import { policyFileSchema } from './schema.ts';

await writeFile(path.join(paths.policies, 'policy.schema.json'), `${JSON.stringify(z.toJSONSchema(policyFileSchema), null, 2)}\n`);
