// The published JSON Schema of a config file, generated from the zod schema that validates it,
// so editors and other tools check configs by the same rules as lbamac.
import { z } from 'zod';
import { configSchema } from '../config/schema.js';

export function configJsonSchema(): Record<string, unknown> {
  // io: 'input' describes what a user writes (defaults make fields optional), not the parsed result.
  const { $schema, ...body } = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  return {
    $schema,
    $id: 'urn:lbamac:config',
    title: 'lbamac array configuration',
    description: 'A systolic MAC array and its arithmetic: operand, product and accumulator formats, rounding, chunking, 2:4 sparsity (see docs/arithmetic.md).',
    ...body,
  };
}

/** The text of schema/config.schema.json. */
export function configJsonSchemaText(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}
