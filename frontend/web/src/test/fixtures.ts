import type { Role, ViewerQuery } from '../gql/graphql';
import type { TokenPair } from '../auth/tokenStore';

export const FULL_ID_NUMBER = '440305198604121358';
export const MASKED_ID_NUMBER = '440305********1358';

export function tokenPair(suffix = '1', accessExpiresInMs = 15 * 60_000): TokenPair {
  const now = Date.now();
  return {
    accessToken: `access-${suffix}`,
    refreshToken: `refresh-${suffix}`,
    tokenType: 'Bearer',
    accessTokenExpiresAt: new Date(now + accessExpiresInMs).toISOString(),
    refreshTokenExpiresAt: new Date(now + 7 * 24 * 3600_000).toISOString(),
  };
}

export function viewerData(roles: Role[], withPerson = roles.includes('REGISTRANT')): ViewerQuery {
  return {
    viewer: {
      user: {
        id: 'VXNlcjox',
        username: 'chenjing',
        displayName: '陈静',
        roles,
        provinceCode: roles.includes('PROVINCIAL_REVIEWER') ? '440000' : null,
        mustChangePassword: false,
      },
      person: withPerson
        ? {
            id: 'UGVyc29uOjE=',
            name: '陈静',
            gender: 'FEMALE',
            birthDate: '1986-04-12',
            idNumberMasked: MASKED_ID_NUMBER,
            regionCode: '440305',
          }
        : null,
      employer: null,
    },
  };
}
