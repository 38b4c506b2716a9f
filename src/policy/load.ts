// Loads every policies/*.yaml file at start-up and checks it against the schema. A mistake
// stops the server with the file, the place (path and line) and the reason. Each rule keeps
// where it came from, so "view as" can say which rule of which file allowed or withheld a field.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { roles, type Role } from '../auth/roles.ts';
import { policyFileSchema, type PolicyRule } from './schema.ts';

export interface SourcedRule extends PolicyRule {
  /** e.g. "education.yaml, education.dsl, rule 1" */
  source: string;
}

export type Policies = ReadonlyMap<Role, readonly SourcedRule[]>;

export class PolicyError extends Error {
  override name = 'PolicyError';
}

export function parsePolicyFile(text: string, fileName: string): Map<Role, SourcedRule[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) throw new PolicyError(`${fileName}: ${doc.errors[0]!.message}`);
  const result = policyFileSchema.safeParse(doc.toJS());
  const place = (at: PropertyKey[]) => {
    const node = doc.getIn(at as unknown[], true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
    return `${at.join('.') || '(top)'}${line}`;
  };
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  at ${place(issue.path)}: ${issue.message}`);
    throw new PolicyError(`Invalid policy file ${fileName}:\n${problems.join('\n')}`);
  }
  const rules = new Map<Role, SourcedRule[]>();
  for (const [role, entries] of Object.entries(result.data.roles) as [Role, PolicyRule[]][]) {
    if (roles[role].agency !== result.data.agency) {
      throw new PolicyError(`Invalid policy file ${fileName}:\n  at ${place(['roles', role])}: ${role} is not a ${result.data.agency} role`);
    }
    rules.set(role, entries.map((rule, index) => ({ ...rule, source: `${fileName}, ${role}, rule ${index + 1}` })));
  }
  return rules;
}

export async function loadPolicies(dir: string): Promise<Policies> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort();
  const all = new Map<Role, SourcedRule[]>();
  for (const file of files) {
    for (const [role, rules] of parsePolicyFile(await readFile(path.join(dir, file), 'utf8'), file)) {
      if (all.has(role)) throw new PolicyError(`Role ${role} has rules in more than one policy file (again in ${file})`);
      all.set(role, rules);
    }
  }
  return all;
}
