/**
 * GraphQL Code Generator: typed documents for the operations in ../graphql/*.graphql
 * (shared with the mini-program) and any graphql() fragments beside components in src/.
 *
 * Schema: the backend's generated ../../schema.graphql (`regsafe export-schema`).
 * `npm run codegen` writes src/gql/ (checked in);
 * `npm run codegen:check` regenerates into a temporary directory (CODEGEN_OUT) and fails
 * on any difference.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

export const schemaPath = '../../schema.graphql';

const out = (process.env.CODEGEN_OUT ?? 'src/gql').replace(/\/?$/, '/');

const config: CodegenConfig = {
  schema: schemaPath,
  documents: ['../graphql/**/*.graphql', 'src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  silent: process.env.CODEGEN_OUT !== undefined,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: {
        gqlTagName: 'graphql',
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        onlyOperationTypes: true,
        skipTypename: true,
        scalars: {
          Date: 'string',
          DateTime: 'string',
        },
        defaultScalarType: 'unknown',
      },
    },
  },
};

export default config;
