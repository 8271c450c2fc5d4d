import { defineConfig } from 'rolldown';

// One self-contained file an auditor can run with plain Node: the domain logic and @noble/hashes are bundled in.
export default defineConfig({
  input: 'tools/verify-ledger/main.ts',
  platform: 'node',
  output: { file: 'dist/verify-ledger.cjs', format: 'cjs' },
  resolve: { tsconfigFilename: 'tsconfig.base.json' },
});
