// The house rules of DESIGN.md section 2, enforced here rather than hoped for.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'stream', 'process', 'url', 'util', 'zlib', 'worker_threads'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'packages/sdk/dist/**', 'bench/results/**', '.tierwise/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'src/core is pure: no node:* or I/O imports (DESIGN.md section 2).' },
          { group: ['../../*', '!../../core/*', 'zod', 'yaml', 'better-sqlite3', 'commander'], message: 'src/core imports nothing outside src/core.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core never reads the environment.' }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time is an argument in src/core.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time is an argument in src/core.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Randomness takes a seed in src/core.' },
        { selector: "MemberExpression[object.name='console']", message: 'No logging in src/core.' },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts', 'src/http/**/*.ts', 'src/cli/**/*.ts', 'src/dashboard/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/adapters/*', '!./*'], message: 'adapters, http, cli and dashboard import app/ and core/, never each other (compose.ts wires them).' },
          { group: ['**/http/*', '**/dashboard/*', '**/cli/*'], message: 'adapters, http, cli and dashboard import app/ and core/, never each other.' },
        ],
      }],
    },
  },
  {
    // every command loads with the CLI: the server's side and the vendors' clients are imported in the
    // actions that need them (await import), so the other commands start without them
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/adapters/*', '!./*'], message: 'adapters, http, cli and dashboard import app/ and core/, never each other (compose.ts wires them).' },
          { group: ['**/http/*', '**/dashboard/*', '**/cli/*'], message: 'adapters, http, cli and dashboard import app/ and core/, never each other.' },
          { group: ['**/compose.ts', '**/channels/*'], message: 'The CLI imports the server and the channels in the action that needs them (await import): every command would load them otherwise.' },
        ],
      }],
    },
  },
  {
    files: ['packages/sdk/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/*', '../../*', 'tierwise'], message: 'The SDK imports nothing from src/.' }] }],
    },
  },
);
