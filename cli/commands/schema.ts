// `lbamac schema`: the config's JSON Schema, generated the same way as the committed file.
import type { CommandModule } from 'yargs';
import { configJsonSchemaText } from '../../engine/config-schema.js';
import { messages } from '../messages.js';

export const schemaCommand: CommandModule = {
  command: messages.schema.command,
  describe: messages.schema.describe,
  builder: (y) => y.usage(messages.schema.usage).example(messages.schema.examples),
  handler: () => {
    process.stdout.write(configJsonSchemaText());
  },
};
