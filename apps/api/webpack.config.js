const { join } = require('path');
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { readFileSync } = require('fs');
const rootPkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

// npm packages stay external (required from node_modules at run time); the workspace libs
// (@xiangbo/*, TypeScript sources) are bundled into main.js.
const external = [
  ...Object.keys(rootPkg.dependencies).filter((d) => !d.startsWith('@xiangbo/')),
  // Deep requires of node-media-server must load the SAME modules as the package itself (its Context is a
  // module-level singleton): bundling a copy would give the embedded media server a second, empty Context.
  'node-media-server/src/core/context.js',
  'node-media-server/src/core/logger.js',
  'node-media-server/src/session/flv_session.js',
];

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
