"""The one schema: every domain's Query and Mutation merged, with the validation limits
and the request lifecycle extension."""

from __future__ import annotations

from functools import lru_cache

import strawberry
from strawberry import relay
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)

from regsafe.core.settings import Settings
from regsafe.graphql.auth.resolvers import AuthMutation, AuthQuery
from regsafe.graphql.certificates.mutations import CertificateMutation
from regsafe.graphql.certificates.queries import CertificateQuery
from regsafe.graphql.core.limits import IntrospectionPolicy, NodeIdsLimit, cost_limit_rule
from regsafe.graphql.core.oplog import Schema
from regsafe.graphql.core.strings import StrictStrings
from regsafe.graphql.education.mutations import EducationMutation
from regsafe.graphql.education.queries import EducationQuery
from regsafe.graphql.extensions import RequestLifecycle
from regsafe.graphql.identity.mutations import IdentityMutation
from regsafe.graphql.identity.queries import IdentityQuery
from regsafe.graphql.practice.mutations import PracticeMutation
from regsafe.graphql.practice.queries import PracticeQuery
from regsafe.graphql.registration.mutations import RegistrationMutation
from regsafe.graphql.registration.queries import RegistrationQuery
from regsafe.graphql.uploads.mutations import UploadMutation


@strawberry.type
class NodeQuery:
    node: relay.Node | None = relay.node(description="Fetch any object by its global ID.")
    nodes: list[relay.Node | None] = relay.node(
        description=(
            "Fetch objects by global IDs, at most REGSAFE_MAX_NODE_IDS (default 100) at once "
            "(TOO_MANY_IDS beyond); costs like a page of that many objects."
        ),
        extensions=[NodeIdsLimit()],
    )


@strawberry.type(description="Read the platform: every domain's root fields.")
class Query(
    NodeQuery,
    AuthQuery,
    IdentityQuery,
    RegistrationQuery,
    EducationQuery,
    PracticeQuery,
    CertificateQuery,
):
    pass


@strawberry.type(description="Change the platform: every domain's mutations.")
class Mutation(
    AuthMutation,
    IdentityMutation,
    RegistrationMutation,
    EducationMutation,
    PracticeMutation,
    CertificateMutation,
    UploadMutation,
):
    pass


def build_schema(settings: Settings) -> Schema:
    return _schema(
        settings.max_query_depth,
        settings.max_aliases,
        settings.max_tokens,
        settings.max_query_cost,
        settings.max_page_size,
        settings.max_node_ids,
    )


@lru_cache(maxsize=4)
def _schema(depth: int, aliases: int, tokens: int, cost: int, page: int, ids: int) -> Schema:
    # Cached: strawberry's relay fields bind to the first schema built from them.
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            RequestLifecycle,
            IntrospectionPolicy,
            StrictStrings,
            lambda: QueryDepthLimiter(max_depth=depth),
            lambda: MaxAliasesLimiter(max_alias_count=aliases),
            lambda: MaxTokensLimiter(max_token_count=tokens),
            lambda: AddValidationRules([cost_limit_rule(cost, page, ids)]),
        ],
    )


def schema_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
