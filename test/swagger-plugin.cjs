// The Nest CLI applies the @nestjs/swagger plugin at build time; this applies it under ts-jest
// too, so the OpenAPI document in the e2e tests is the one the built app serves.
const plugin = require('@nestjs/swagger/plugin');

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (compiler) =>
    plugin.before(
      { classValidatorShim: true, introspectComments: true, dtoFileNameSuffix: ['.dto.ts', '.entity.ts'] },
      compiler.program,
    ),
};
