/** GraphQL operations of 本单位人员 (typed by codegen into src/gql). */
import { graphql } from '../../gql';

export const EmployerStaffQuery = graphql(`
  query EmployerStaff($filter: PersonFilterInput, $first: Int, $after: String) {
    persons(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          idNumberMasked
          specialty
          registration {
            status
            validFrom
            validUntil
            number
          }
          currentCertificate {
            id
            number
            validUntil
          }
          hours {
            required
            counted
            shortfall
            met
            outlook
            cycleEnd
          }
          creditGrade {
            grade
            provincialColour
          }
          currentEmployment {
            id
            startDate
          }
        }
      }
    }
  }
`);

export const EmployerInvitationsQuery = graphql(`
  query EmployerInvitations($status: EmploymentInvitationStatus, $first: Int, $after: String) {
    employmentInvitations(filter: { status: $status }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          startsOn
          socialInsurance
          sentOn
          expiresOn
          respondedAt
        }
      }
    }
  }
`);

export const EmploymentInviteMutation = graphql(`
  mutation EmploymentInvite($input: EmploymentInviteInput!) {
    employmentInvite(input: $input) {
      invitation {
        id
        status
        startsOn
        expiresOn
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const EmploymentEndMutation = graphql(`
  mutation EmploymentEnd($id: ID!, $endDate: Date!) {
    employmentEnd(id: $id, endDate: $endDate) {
      employment {
        id
        endDate
        isCurrent
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
