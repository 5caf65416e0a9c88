/**
 * `node -r` this to learn which packages a process loaded: at exit it writes their names
 * (from the module cache) as JSON to the file named by LOADED_PACKAGES_FILE.
 */
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const packages = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
    // A package's package.json alone (read for its version) is not the package loaded.
    if (match && match[2] !== 'package.json') packages.add(match[1]);
  }
  writeFileSync(process.env.LOADED_PACKAGES_FILE, JSON.stringify([...packages].sort()));
});
