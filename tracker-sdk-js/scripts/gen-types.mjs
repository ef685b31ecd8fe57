// Generates src/generated/schema.ts from the Avro schemas in ../schemas, so the tracker's payload types cannot
// drift from ChartEvent: a renamed or retyped field fails the type check of the tracker's own code.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const avro = join(root, '..', 'schemas', 'src', 'main', 'avro');
const files = [...readdirSync(join(avro, 'common')).map((f) => join(avro, 'common', f)), join(avro, 'ChartEvent.avsc')];
const named = new Map();
const order = [];

function collect(schema) {
  if (typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) return schema.forEach(collect);
  if (schema.type === 'record' || schema.type === 'enum') {
    named.set(schema.name, schema);
    if (!order.includes(schema.name)) order.push(schema.name);
  }
  if (schema.type === 'record') schema.fields.forEach((f) => collect(f.type));
  if (schema.type === 'array') collect(schema.items);
  if (schema.type === 'map') collect(schema.values);
}
files.forEach((f) => collect(JSON.parse(readFileSync(f, 'utf8'))));

function ts(type) {
  if (Array.isArray(type)) return type.map(ts).join(' | ');
  if (typeof type === 'string') {
    const short = type.split('.').pop();
    return (
      {
        null: 'null',
        string: 'string',
        int: 'number',
        long: 'number',
        float: 'number',
        double: 'number',
        boolean: 'boolean',
        bytes: 'string',
      }[type] ?? short
    );
  }
  if (type.type === 'map') return `Record<string, ${ts(type.values)}>`;
  if (type.type === 'array') return `Array<${ts(type.items)}>`;
  if (type.type === 'record' || type.type === 'enum') return type.name;
  return ts(type.type);
}

let out = '// Generated from schemas/src/main/avro by scripts/gen-types.mjs. Do not edit.\n\n';
for (const name of order) {
  const s = named.get(name);
  if (s.type === 'enum') {
    out += `/** ${s.doc} */\nexport type ${name} = ${s.symbols.map((x) => `'${x}'`).join(' | ')};\n\n`;
    continue;
  }
  out += `/** ${s.doc} */\nexport interface ${name} {\n`;
  for (const f of s.fields) {
    const optional = 'default' in f;
    out += `  /** ${f.doc} */\n  ${f.name}${optional ? '?' : ''}: ${ts(f.type)};\n`;
  }
  out += '}\n\n';
}
out += `/** Field names of each record, for tests that check the tracker's JSON against the schema. */\n`;
out += `export const FIELDS: Record<string, string[]> = ${JSON.stringify(
  Object.fromEntries(
    order.filter((n) => named.get(n).type === 'record').map((n) => [n, named.get(n).fields.map((f) => f.name)]),
  ),
)};\n`;
mkdirSync(join(root, 'src', 'generated'), { recursive: true });
writeFileSync(join(root, 'src', 'generated', 'schema.ts'), out);
