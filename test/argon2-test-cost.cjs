// The tests hash with argon2id as the service does, at the lowest cost the library allows: at its
// default cost (64 MiB, three passes) the hundreds of users the suites create spent more time in
// hashing than in testing. A hash carries its parameters, so verifying needs no change.
const argon2 = require('../node_modules/argon2/argon2.cjs');

module.exports = {
  ...argon2,
  hash: (password, options) => argon2.hash(password, { ...options, memoryCost: 1024, timeCost: 1, parallelism: 1 }),
};
