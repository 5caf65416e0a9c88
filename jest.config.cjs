const { existsSync } = require('node:fs');
const process = require('node:process');

/**
 * Suites that open pages in Debian's Chromium (`*-browser.e2e-spec.ts`, see test/browser.ts) need
 * it at /usr/bin/chromium. Without it a developer's `npm test` leaves them out and says so; with
 * REQUIRE_BROWSER=1 (CI) they always run, and fail without it.
 */
const browserSuitesRun = existsSync('/usr/bin/chromium') || process.env.REQUIRE_BROWSER === '1';
if (!browserSuitesRun) {
  process.stderr.write('Left out: the *-browser.e2e-spec.ts suites, as there is no Chromium at /usr/bin/chromium (apt-get install chromium); REQUIRE_BROWSER=1 makes its absence fail.\n');
}

/** Jest runs in native ESM mode (NestJS 12 ships ESM); the app itself compiles to CommonJS. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: '<rootDir>/tsconfig.jest.json',
        astTransformers: { before: ['<rootDir>/test/swagger-plugin.cjs'] },
      },
    ],
  },
  // The swagger plugin writes ESM-style `./x.dto.js` imports; resolve them to the TypeScript sources.
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Its ES build imports JSON without an import attribute, which jest's ESM loader warns about at every import.
    '^libphonenumber-js$': '<rootDir>/node_modules/libphonenumber-js/index.cjs',
    // argon2id at its lowest cost: the default cost made hashing the largest part of the suite's time.
    '^argon2$': '<rootDir>/test/argon2-test-cost.cjs',
  },
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', ...(browserSuitesRun ? [] : ['-browser\\.e2e-spec\\.ts$'])],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  // One worker, run one file after another (the suites share one database), replaced when it has
  // grown: jest keeps every test file's module registry, and with pdfkit, fontkit, exceljs and the
  // rest loaded anew per file, a single process grew past 4 GB and slowed to a crawl.
  workerIdleMemoryLimit: '1200MB',
  // A stray timer in a library (pg-boss, nodemailer pools) must never hang CI after the results are in.
  forceExit: true,
};
