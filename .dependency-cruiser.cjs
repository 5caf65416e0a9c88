/**
 * Which folder of src/ may depend on which (`npm run lint` runs `depcruise src`, so a forbidden
 * import fails CI). The picture is in README.md ("Modules and their dependencies").
 *
 * - Domain modules depend in one direction: catalogue ← planning ← enrolment ← advice, and
 *   catalogue ← planning ← enrolment ← exams ← invoicing / diplomas, and enrolment ← attendance ←
 *   diplomas (a diploma may require attendance); invoicing and diplomas do not use each other, and
 *   none of them uses advice.
 * - Below the domain: kernel (depends on nothing of ours), config, database, http, events, audit,
 *   jobs, settings, mail, auth, health. None of them imports a domain module.
 * - demo, cli and the entry points (app.module, main, worker, cli) may import everything.
 * - No cycles between folders.
 */

/** Each domain module and the domain modules it may use (everything below the domain it may use too). */
const DOMAIN = {
  catalogue: [],
  planning: ['catalogue'],
  enrolment: ['catalogue', 'planning'],
  advice: ['catalogue', 'planning', 'enrolment'],
  exams: ['catalogue', 'planning', 'enrolment'],
  invoicing: ['catalogue', 'planning', 'enrolment', 'exams'],
  attendance: ['catalogue', 'planning', 'enrolment'],
  diplomas: ['catalogue', 'planning', 'enrolment', 'exams', 'attendance'],
};

const BELOW_DOMAIN = ['kernel', 'config', 'database', 'http', 'events', 'privacy', 'audit', 'jobs', 'settings', 'mail', 'auth', 'health'];

const folders = (names) => `^src/(${names.join('|')})/`;

const domainRules = Object.entries(DOMAIN).map(([module, allowed]) => {
  const forbidden = Object.keys(DOMAIN).filter((other) => other !== module && !allowed.includes(other));
  return {
    name: `domain-${module}`,
    comment: `${module} may use ${allowed.length > 0 ? allowed.join(', ') : 'no other domain module'} (and what lies below the domain), not ${forbidden.join(', ')}`,
    severity: 'error',
    from: { path: `^src/${module}/` },
    to: { path: folders(forbidden) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...domainRules,
    {
      name: 'below-domain',
      comment: `${BELOW_DOMAIN.join(', ')} lie below the domain: they never import a domain module (the domain registers with them instead)`,
      severity: 'error',
      from: { path: folders(BELOW_DOMAIN) },
      to: { path: folders(Object.keys(DOMAIN)) },
    },
    {
      name: 'below-entry-points',
      comment: 'demo, cli and the entry points wire everything together; nothing else imports them',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(demo|cli)/|^src/(cli|main|worker|app\\.module)\\.ts$' },
      to: { path: '^src/(demo|cli)/|^src/(cli|main|worker|app\\.module)\\.ts$' },
    },
    {
      name: 'kernel-depends-on-nothing',
      comment: 'the shared kernel is the vocabulary every module speaks: it imports nothing of ours',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^(src|migrations|test|bench|scripts)/', pathNot: '^src/kernel/' },
    },
    {
      name: 'not-to-tests',
      comment: 'the application does not import tests or benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-folder-cycles',
      comment: 'no cycles between folders: a module and what it uses stay apart',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
