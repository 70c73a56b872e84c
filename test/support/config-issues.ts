// The issues a config text fails with; throws if it parses (a test expecting an error must get one).
import { ConfigError, parseConfig } from '../../src/config/load.ts';

export function configIssues(text: string, file = 'tierwise.yaml'): ConfigError['issues'] {
  try {
    parseConfig(text, file);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
