/** GraphQL operations of 用户管理 (typed by codegen into src/gql). */
import { graphql } from '../../gql';

export const AdminUsersQuery = graphql(`
  query AdminUsers($filter: UserFilterInput, $first: Int, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          username
          displayName
          roles
          provinceCode
          reviewScope
          isActive
          mustChangePassword
          lastLoginAt
          createdAt
          person {
            id
            name
            idNumberMasked
          }
          employer {
            id
            name
          }
        }
      }
    }
  }
`);

export const UserCreateMutation = graphql(`
  mutation UserCreate($input: UserCreateInput!) {
    userCreate(input: $input) {
      user {
        id
        displayName
        roles
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UserUpdateMutation = graphql(`
  mutation UserUpdate($id: ID!, $input: UserUpdateInput!) {
    userUpdate(id: $id, input: $input) {
      user {
        id
        displayName
        roles
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UserPasswordResetMutation = graphql(`
  mutation UserPasswordReset($id: ID!) {
    userPasswordReset(id: $id) {
      user {
        id
        mustChangePassword
      }
      temporaryPassword
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UserLockMutation = graphql(`
  mutation UserLock($id: ID!) {
    userLock(id: $id) {
      user {
        id
        isActive
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UserUnlockMutation = graphql(`
  mutation UserUnlock($id: ID!) {
    userUnlock(id: $id) {
      user {
        id
        isActive
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UserAuditEventsQuery = graphql(`
  query UserAuditEvents($id: ID!, $first: Int!) {
    node(id: $id) {
      ... on User {
        id
        recentAuditEvents(first: $first) {
          at
          action
          subjectType
          subjectId
          requestId
        }
      }
    }
  }
`);
