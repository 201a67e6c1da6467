/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation TokenCreate($username: String!, $password: String!) {\n  tokenCreate(username: $username, password: $password) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRefresh($refreshToken: String!) {\n  tokenRefresh(refreshToken: $refreshToken) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRevoke($refreshToken: String!) {\n  tokenRevoke(refreshToken: $refreshToken) {\n    revoked\n    errors {\n      field\n      code\n      message\n    }\n  }\n}": typeof types.TokenCreateDocument,
    "query Viewer {\n  viewer {\n    user {\n      id\n      username\n      displayName\n      roles\n      provinceCode\n    }\n    person {\n      id\n      name\n      gender\n      birthDate\n      idNumberMasked\n      regionCode\n    }\n    employer {\n      id\n      name\n      creditCode\n    }\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "mutation TokenCreate($username: String!, $password: String!) {\n  tokenCreate(username: $username, password: $password) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRefresh($refreshToken: String!) {\n  tokenRefresh(refreshToken: $refreshToken) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRevoke($refreshToken: String!) {\n  tokenRevoke(refreshToken: $refreshToken) {\n    revoked\n    errors {\n      field\n      code\n      message\n    }\n  }\n}": types.TokenCreateDocument,
    "query Viewer {\n  viewer {\n    user {\n      id\n      username\n      displayName\n      roles\n      provinceCode\n    }\n    person {\n      id\n      name\n      gender\n      birthDate\n      idNumberMasked\n      regionCode\n    }\n    employer {\n      id\n      name\n      creditCode\n    }\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TokenCreate($username: String!, $password: String!) {\n  tokenCreate(username: $username, password: $password) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRefresh($refreshToken: String!) {\n  tokenRefresh(refreshToken: $refreshToken) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRevoke($refreshToken: String!) {\n  tokenRevoke(refreshToken: $refreshToken) {\n    revoked\n    errors {\n      field\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation TokenCreate($username: String!, $password: String!) {\n  tokenCreate(username: $username, password: $password) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRefresh($refreshToken: String!) {\n  tokenRefresh(refreshToken: $refreshToken) {\n    token {\n      accessToken\n      refreshToken\n      tokenType\n      accessTokenExpiresAt\n      refreshTokenExpiresAt\n    }\n    errors {\n      field\n      code\n      message\n    }\n  }\n}\n\nmutation TokenRevoke($refreshToken: String!) {\n  tokenRevoke(refreshToken: $refreshToken) {\n    revoked\n    errors {\n      field\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    user {\n      id\n      username\n      displayName\n      roles\n      provinceCode\n    }\n    person {\n      id\n      name\n      gender\n      birthDate\n      idNumberMasked\n      regionCode\n    }\n    employer {\n      id\n      name\n      creditCode\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    user {\n      id\n      username\n      displayName\n      roles\n      provinceCode\n    }\n    person {\n      id\n      name\n      gender\n      birthDate\n      idNumberMasked\n      regionCode\n    }\n    employer {\n      id\n      name\n      creditCode\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;