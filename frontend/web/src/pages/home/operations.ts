/** GraphQL operations of 工作台 (the home page; typed by codegen into src/gql). Small on purpose. */
import { graphql } from '../../gql';

/** 申请人: the latest applications, this cycle's hours, the registration and certificates. */
export const HomeRegistrantQuery = graphql(`
  query HomeRegistrant {
    myApplications(last: 20) {
      totalCount
      edges {
        node {
          id
          kind
          status
          specialty
          missingDocuments
          returnItems
          dueAt
          deadlineStatus
          submittedAt
          createdAt
        }
      }
    }
    myHours {
      pendingCount
      requirement {
        cycleEnd
        required
        counted
        shortfall
        met
        outlook
      }
    }
    myRegistration {
      specialty
      status
      validUntil
      number
    }
    myCertificates {
      id
      number
      status
      specialty
      validUntil
    }
  }
`);

/** 审核人员: the queue's deadline counts and its most urgent cases. */
export const HomeReviewQueueQuery = graphql(`
  query HomeReviewQueue($stage: ReviewStage!, $first: Int = 5) {
    reviewQueueCounts(stage: $stage) {
      total
      breached
      dueSoon
      unclaimed
    }
    reviewQueue(stage: $stage, first: $first) {
      totalCount
      edges {
        node {
          id
          kind
          status
          specialty
          applicant {
            id
            name
          }
          dueAt
          deadlineStatus
          assignedToMe
        }
      }
    }
  }
`);

/** 个人申报待审核 (provincial reviewers): the count only. */
export const HomePendingHourReportsQuery = graphql(`
  query HomePendingHourReports {
    pendingHourReports(first: 0) {
      totalCount
    }
  }
`);

/** 本单位: the staff's registration, certificate and hours, and pending invitations. */
export const HomeEmployerQuery = graphql(`
  query HomeEmployer($filter: PersonFilterInput, $first: Int = 100) {
    persons(filter: $filter, first: $first) {
      totalCount
      pageInfo {
        hasNextPage
      }
      edges {
        node {
          id
          name
          idNumberMasked
          registration {
            status
            validUntil
            number
          }
          currentCertificate {
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
        }
      }
    }
    employmentInvitations(filter: { status: PENDING }, first: 0) {
      totalCount
    }
  }
`);
