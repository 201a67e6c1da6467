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
from regsafe.graphql.auth.accounts import AccountMutation, AccountQuery
from regsafe.graphql.auth.resolvers import AuthMutation, AuthQuery
from regsafe.graphql.certificates.mutations import CertificateMutation
from regsafe.graphql.certificates.queries import CertificateQuery
from regsafe.graphql.core.compiled import CompilingExecutor
from regsafe.graphql.core.limits import (
    BoundedParserCache,
    CachedValidation,
    IntrospectionPolicy,
    NodeIdsLimit,
    cost_limit_rule,
)
from regsafe.graphql.core.oplog import Schema
from regsafe.graphql.core.strings import StrictStrings
from regsafe.graphql.education.mutations import EducationMutation
from regsafe.graphql.education.queries import EducationQuery
from regsafe.graphql.extensions import RequestLifecycle
from regsafe.graphql.identity import compiled as identity_compiled
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
    AccountQuery,
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
    AccountMutation,
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


# Distinct documents kept parsed and validated: the SPA's and mini-program's operations
# (about 75) with room for analysts' own; least recently used ones are parsed again.
DOCUMENT_CACHE_SIZE = 512


@lru_cache(maxsize=4)
def _schema(depth: int, aliases: int, tokens: int, cost: int, page: int, ids: int) -> Schema:
    # Cached: strawberry's relay fields bind to the first schema built from them.
    # The limit rules are classes built once here, not per request: the validation cache
    # is keyed by (schema, document, rules), so the same document with the same rules is
    # validated once, whoever sends it (the rules read only the document). A viewer for
    # whom IntrospectionPolicy adds NoIntrospection has other rules, hence another entry.
    rules = [
        *QueryDepthLimiter(max_depth=depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=aliases).validation_rules,
        cost_limit_rule(cost, page, ids),
    ]
    schema = Schema(
        query=Query,
        mutation=Mutation,
        execution_context_class=CompilingExecutor,
        extensions=[
            RequestLifecycle,
            IntrospectionPolicy,
            StrictStrings,
            lambda: MaxTokensLimiter(max_token_count=tokens),
            BoundedParserCache,
            CachedValidation,
            lambda: AddValidationRules(rules),
            lambda: CachedValidation(maxsize=DOCUMENT_CACHE_SIZE),
        ],
    )
    identity_compiled.install(CompilingExecutor, schema._schema)
    return schema


def schema_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
