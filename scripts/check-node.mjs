// Fails early, with a clear message, when an npm script runs on a Node older than 22.
// `npm install` puts a pinned Node 24 at node_modules/.bin/node (the `node` devDependency), and npm
// puts node_modules/.bin first on the PATH of every script, so this only trips when that binary is
// missing: run `npm install` (or `npm ci`) again.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `copernica-rest: this script needs Node >= 22.19 but runs on ${process.version}.\n` +
      `  The project pins Node 24 as a devDependency ("node"); it lives at node_modules/.bin/node.\n` +
      `  Run \`npm install\` (or \`npm ci\`) and use \`npm run <script>\` / \`npm test\`, which put it first on the PATH.`,
  );
  process.exit(1);
}
