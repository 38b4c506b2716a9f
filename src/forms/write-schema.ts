// `npm run forms:schema`: writes forms/form.schema.json from src/forms/schema.ts, for editors
// that check YAML against a JSON Schema. test/forms.test.ts fails if it is stale.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { paths } from '../paths.ts';
import { formFileSchema } from './schema.ts';

await writeFile(path.join(paths.forms, 'form.schema.json'), `${JSON.stringify(z.toJSONSchema(formFileSchema), null, 2)}\n`);
