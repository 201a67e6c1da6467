"""The certificates API over HTTP: holder, employer, reviewer and the anonymous public,
GraphQL and the plain /verify JSON endpoints, against a real PostgreSQL and S3."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from regsafe.audit.models import AuditEvent
from regsafe.certificates import pdf, tasks
from regsafe.certificates.merkle import verify_consistency, verify_inclusion
from regsafe.certificates.offline import VerificationStatus, verify_bundle
from regsafe.certificates.signing import KeyRing, b64url_decode
from regsafe.certificates.status_list import SignedStatusList
from regsafe.certificates.vc import verify_credential
from regsafe.core.runtime import Runtime
from regsafe.registration.rules import ApplicationKind
from regsafe.web.app import create_app
from tests.certificates.helpers import TODAY, register
from tests.graphql.identity.helpers import Login, gid
from tests.graphql.test_dataloaders import count_statements
from tests.plugins.api import Api
from tests.plugins.identity import World

VERIFY = """query($n: String, $q: String) { certificateVerification(number: $n, qrPayload: $q) {
  status reasons number holderNameMasked idNumberMasked specialty employerName
  employerCreditCode currentEmployerName validFrom validUntil signatureValid
  inclusionVerified leafIndex inclusionProof revokedAt revocationReason supersededBy
  treeHead { size rootHash keyId cosignatures { keyId } } } }"""
MINE = """{ myCertificates { id number status kind qrText qrUrl qrVersion qrSvg validUntil
  pdfReady pdfUrl verifiableCredential
  history { number status } previous { number } } }"""
REVOKE = """mutation($id: ID!, $r: String!) { certificateRevoke(id: $id, reason: $r) {
  certificate { status endReason endedAt } errors { field code message } } }"""


async def _signed_head(rt: Runtime) -> None:
    async with rt.db.session() as s:
        await tasks.sign_tree_head_now(s, rt.settings, force=True)
        await s.commit()


async def test_holder_sees_certificates_with_qr_history_vc_and_pdf(
    world: World, runtime: Runtime, login_as: Login
) -> None:
    first = await register(runtime, world)
    second = await register(runtime, world, kind=ApplicationKind.CHANGE, employer="agency")
    assert first and second and second.id is not None
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    assert await tasks.render_pdf.func(certificate_id=second.id)  # the job, run inline
    zhang = await login_as("zhang")
    mine = (await zhang.gql(MINE))["myCertificates"]
    assert [c["number"] for c in mine] == [second.number, first.number]
    newest = mine[0]
    assert newest["status"] == "ACTIVE" and newest["kind"] == "CHANGED"
    assert newest["qrText"].startswith("RS1:") and newest["qrVersion"] <= 25
    assert newest["qrUrl"].endswith("/verify?qr=" + newest["qrText"])
    assert newest["qrSvg"].startswith("<svg")
    assert [h["number"] for h in newest["history"]] == [second.number, first.number]
    assert newest["previous"]["number"] == first.number
    assert mine[1]["status"] == "SUPERSEDED" and mine[1]["pdfUrl"] is None
    assert verify_credential(newest["verifiableCredential"])
    async with httpx.AsyncClient() as http:
        pdf = await http.get(newest["pdfUrl"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the agency's admin sees nothing of it; the chemical plant's admin sees its staff
    chem = await login_as("chem_admin")
    staff = (
        await chem.gql(
            "{ employerCertificates(first: 10) { totalCount edges { node { number pdfUrl } } } }"
        )
    )["employerCertificates"]
    assert [e["node"]["number"] for e in staff["edges"]] == [first.number]


async def test_public_verification_by_number_and_qr_with_inclusion(
    world: World, runtime: Runtime, api: Api, login_as: Login
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    pending = (await api.gql(VERIFY, {"n": cert.number}))["certificateVerification"]
    assert pending["status"] == "VALID" and pending["inclusionVerified"] is None
    await _signed_head(runtime)
    found = (await api.gql(VERIFY, {"n": cert.number.lower()}))["certificateVerification"]
    assert found["status"] == "VALID" and found["signatureValid"] is True
    assert found["inclusionVerified"] is True and found["treeHead"]["size"] >= 1
    assert found["holderNameMasked"] == "张*" and found["specialty"] == "CHEMICAL"
    assert found["employerName"] == found["currentEmployerName"] == world.employers["chem"].name
    zhang = await login_as("zhang")
    qr = (await zhang.gql(MINE))["myCertificates"][0]["qrText"]
    by_qr = (await api.gql(VERIFY, {"q": qr}))["certificateVerification"]
    assert by_qr["status"] == "VALID" and by_qr["number"] == cert.number
    link = (await zhang.gql(MINE))["myCertificates"][0]["qrUrl"]
    by_link = (await api.gql(VERIFY, {"q": link}))["certificateVerification"]
    assert by_link["status"] == "VALID" and by_link["number"] == cert.number
    unknown = (await api.gql(VERIFY, {"n": "AQ202644HG0000001"}))["certificateVerification"]
    assert unknown["status"] == "UNKNOWN" and unknown["reasons"]


async def test_revocation_is_for_reviewers_audited_and_shown_everywhere(
    world: World, runtime: Runtime, api: Api, login_as: Login
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    cid = gid("Certificate", cert.id)
    zhang = await login_as("zhang")
    denied = await zhang.errors(REVOKE, {"id": cid, "r": "x"})
    assert denied[0]["extensions"]["code"] == "FORBIDDEN"
    ministry = await login_as("ministry")
    empty = (await ministry.gql(REVOKE, {"id": cid, "r": " "}))["certificateRevoke"]
    assert [e["code"] for e in empty["errors"]] == ["REASON_REQUIRED"]
    done = (await ministry.gql(REVOKE, {"id": cid, "r": "提供虚假材料"}))["certificateRevoke"]
    assert done["errors"] == [] and done["certificate"]["status"] == "REVOKED"
    again = (await ministry.gql(REVOKE, {"id": cid, "r": "再次"}))["certificateRevoke"]
    assert [e["code"] for e in again["errors"]] == ["NOT_ACTIVE"]
    shown = (await api.gql(VERIFY, {"n": cert.number}))["certificateVerification"]
    assert shown["status"] == "REVOKED" and shown["revocationReason"] == "提供虚假材料"
    assert shown["revokedAt"] and "提供虚假材料" in shown["reasons"][0]
    async with runtime.db.session() as s:
        audited = (
            await s.exec(
                select(func.count()).where(col(AuditEvent.action) == "CERTIFICATE_REVOKED")
            )
        ).one()
    assert audited == 1
    listing = await api.client.get("/verify/status-list")
    assert listing.status_code == 200 and "max-age" in listing.headers["cache-control"]
    signed = SignedStatusList.from_json(listing.text)
    keys = KeyRing.from_json((await api.client.get("/verify/keys.json")).text)
    assert signed.verify(keys) and signed.status_list().get(cert.status_list_index)


async def test_plain_json_endpoints_give_verifiable_proofs(
    world: World, runtime: Runtime, api: Api, login_as: Login
) -> None:
    a = await register(runtime, world, key="zhang")
    await _signed_head(runtime)
    await register(runtime, world, key="li")
    await register(runtime, world, key="zhao", employer="beijing")
    await _signed_head(runtime)
    assert a is not None
    http = api.client
    head = (await http.get("/verify/log/tree-head")).json()
    proof = (await http.get("/verify/log/proof", params={"number": a.number})).json()
    root = b64url_decode(head["root_hash"])
    path = [b64url_decode(p) for p in proof["inclusion_proof"]]
    assert verify_inclusion(
        b64url_decode(proof["leaf_hash"]), proof["leaf_index"], head["size"], path, root
    )
    gql_head = (await api.gql("{ certificateTreeHead { size rootHash } }"))["certificateTreeHead"]
    assert gql_head == {"size": head["size"], "rootHash": head["root_hash"]}
    first = (await api.gql(VERIFY, {"n": a.number}))["certificateVerification"]
    assert first["inclusionVerified"] is True
    consistency = (
        await http.get("/verify/log/consistency", params={"first": 1, "second": head["size"]})
    ).json()
    # the one-leaf tree's root is its leaf hash
    assert verify_consistency(
        1,
        head["size"],
        b64url_decode(proof["leaf_hash"]),
        root,
        [b64url_decode(p) for p in consistency["consistency_proof"]],
    )
    bad = await http.get("/verify/log/consistency", params={"first": 5, "second": 1})
    assert bad.status_code == 400
    typo = await http.get("/verify/log/proof", params={"number": a.number[:-1] + "0"})
    assert typo.status_code in (400, 404)
    # the holder's bundle: only with their token, and it verifies offline
    assert (await http.get(f"/verify/bundle/{a.number}")).status_code == 401
    zhang = await login_as("zhang")
    resp = await http.get(
        f"/verify/bundle/{a.number}", headers={"Authorization": f"Bearer {zhang.token}"}
    )
    assert resp.status_code == 200
    keys = KeyRing.from_json((await http.get("/verify/keys.json")).text)
    assert verify_bundle(resp.text, keys, today=TODAY).status is VerificationStatus.VALID
    by_gql = await zhang.gql(
        "query($n: String!) { certificateBundle(number: $n) }", {"n": a.number}
    )
    checked = verify_bundle(by_gql["certificateBundle"], keys, today=TODAY)
    assert checked.status is VerificationStatus.VALID


async def test_verification_is_rate_limited_per_client(world: World, runtime: Runtime) -> None:
    strict = Runtime(
        runtime.settings.model_copy(update={"verify_rate_per_minute": 3}),
        runtime.db,
        runtime.cipher,
        runtime.store,
    )
    transport = httpx.ASGITransport(app=create_app(strict), client=("203.0.113.7", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        bodies: list[dict[str, Any]] = [
            (await c.post("/graphql", json={"query": VERIFY, "variables": {"n": "AQ"}})).json()
            for _ in range(4)
        ]
        limited = await c.get("/verify/status-list")
    assert all("errors" not in b for b in bodies[:3])
    assert bodies[3]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # the /verify JSON routes count against the same budget
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("header", ["", "Bearer nonsense"])
async def test_bundle_endpoint_refuses_without_a_valid_token(
    world: World, runtime: Runtime, api: Api, header: str
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    headers = {"Authorization": header} if header else {}
    resp = await api.client.get(f"/verify/bundle/{cert.number}", headers=headers)
    assert resp.status_code == 401


async def test_staff_certificates_with_history_cost_the_same_sql_for_any_page(
    world: World, runtime: Runtime, engine: AsyncEngine, login_as: Login
) -> None:
    await register(runtime, world, key="zhang")
    await register(runtime, world, key="zhang", kind=ApplicationKind.RENEWAL)
    await register(runtime, world, key="li")
    chem = await login_as("chem_admin")
    query = """query($n: Int) { employerCertificates(first: $n) { totalCount edges { node {
      number status history { number status } previous { number } } } } }"""
    counts = {}
    for n in (1, 3):
        with count_statements(engine) as statements:
            page = (await chem.gql(query, {"n": n}))["employerCertificates"]
        assert len(page["edges"]) == n and page["totalCount"] == 3
        counts[n] = len(statements)
    assert counts[1] == counts[3], counts
    histories = [len(e["node"]["history"]) for e in page["edges"]]
    assert sorted(histories) == [1, 1, 2]


async def test_others_see_only_the_public_verification(
    world: World, runtime: Runtime, api: Api, login_as: Login
) -> None:
    cert = await register(runtime, world, key="li")
    assert cert is not None
    query = """query($n: String!, $id: ID!) { certificate(number: $n) { number }
      node(id: $id) { id } }"""
    variables = {"n": cert.number, "id": gid("Certificate", cert.id)}
    zhao = await login_as("zhao")  # another registrant
    assert await zhao.gql(query, variables) == {"certificate": None, "node": None}
    chem = await login_as("chem_admin")  # li's employer
    assert (await chem.gql(query, variables))["certificate"] == {"number": cert.number}
    bundle = await zhao.gql(
        "query($n: String!) { certificateBundle(number: $n) }", {"n": cert.number}
    )
    assert bundle == {"certificateBundle": None}
    anonymous = await api.errors(
        "query($n: String!) { certificate(number: $n) { number } }", {"n": cert.number}
    )
    assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"


PDF_STATUS = "{ myCertificates { id number pdfStatus pdfReady } }"
PDF_RETRY = """mutation($id: ID!) { certificatePdfRetry(id: $id) {
  certificate { number pdfStatus } errors { field code message } } }"""


async def _pdf_jobs(rt: Runtime) -> list[tuple[Any, str]]:
    async with rt.db.session() as s:
        conn = await s.connection()
        rows = await conn.exec_driver_sql(
            "SELECT args, status::text FROM procrastinate_jobs"
            " WHERE task_name = 'certificates.render_pdf' ORDER BY id"
        )
        return [(r[0], r[1]) for r in rows.all()]


async def test_pdf_status_says_failed_and_the_holder_retries(
    world: World, runtime: Runtime, login_as: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a certificate whose PDF job is queued
    cert = await register(runtime, world, issuer=tasks.issuer(runtime))
    assert cert is not None and cert.id is not None
    zhang = await login_as("zhang")
    mine = (await zhang.gql(PDF_STATUS))["myCertificates"][0]
    assert mine["pdfStatus"] == "PENDING" and mine["pdfReady"] is False
    # when the job fails for good
    async with runtime.db.session() as s:
        conn = await s.connection()
        await conn.exec_driver_sql(
            "UPDATE procrastinate_jobs SET status = 'doing'"
            " WHERE task_name = 'certificates.render_pdf'"
        )
        await conn.exec_driver_sql(
            "UPDATE procrastinate_jobs SET status = 'failed'"
            " WHERE task_name = 'certificates.render_pdf'"
        )
        await s.commit()
    # then the holder is told, and only the holder can queue it again, once
    assert (await zhang.gql(PDF_STATUS))["myCertificates"][0]["pdfStatus"] == "FAILED"
    other = await login_as("zhao")
    refused = (await other.gql(PDF_RETRY, {"id": mine["id"]}))["certificatePdfRetry"]
    assert refused["certificate"] is None
    assert [e["code"] for e in refused["errors"]] == ["NOT_FOUND"]
    retried = (await zhang.gql(PDF_RETRY, {"id": mine["id"]}))["certificatePdfRetry"]
    assert retried["errors"] == [] and retried["certificate"]["pdfStatus"] == "PENDING"
    again = (await zhang.gql(PDF_RETRY, {"id": mine["id"]}))["certificatePdfRetry"]
    assert again["errors"] == [] and again["certificate"]["pdfStatus"] == "PENDING"
    args = {"certificate_id": cert.id}
    assert await _pdf_jobs(runtime) == [(args, "failed"), (args, "todo")]
    # and once the worker renders it, the status is READY, its QR the same link as qrUrl
    sheets: list[pdf.CertificateSheet] = []
    real = pdf.render_certificate

    def recording(sheet: pdf.CertificateSheet, *, font_path: str) -> bytes:
        sheets.append(sheet)
        return real(sheet, font_path=font_path)

    monkeypatch.setattr(pdf, "render_certificate", recording)
    assert runtime.store is not None
    await runtime.store.ensure_bucket()
    assert await tasks.render_pdf.func(certificate_id=cert.id)
    done = (await zhang.gql("{ myCertificates { pdfStatus qrUrl } }"))["myCertificates"][0]
    assert done["pdfStatus"] == "READY"
    assert [s.qr_text for s in sheets] == [done["qrUrl"]]
    assert done["qrUrl"].startswith(runtime.settings.public_url.rstrip("/") + "/verify?qr=RS1:")
