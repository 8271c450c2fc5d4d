const { join } = require('path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { readFileSync } = require('fs');
const rootPkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

// npm packages stay external (required from node_modules at run time); the workspace libs
// (@xiangbo/*, TypeScript sources) are bundled into main.js.
const external = Object.keys(rootPkg.dependencies).filter((d) => !d.startsWith('@xiangbo/'));

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/api'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: ['./src/assets'],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      externalDependencies: external,
      sourceMap: true,
    }),
  ],
};
