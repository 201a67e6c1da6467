"""Certificates in the database: issuance with registration, numbering, supersession,
cancellation, revocation, the log and its proofs, the status list, key rotation, SM2,
witnesses, append-only log tables. Against a real PostgreSQL, each test rolled back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from regsafe.auth.roles import Role, Viewer
from regsafe.certificates import ledger, service
from regsafe.certificates.canonical import CertificatePayload
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.merkle import verify_consistency, verify_inclusion
from regsafe.certificates.models import Certificate, CertificateStatus, LogLeaf
from regsafe.certificates.numbers import parse_number
from regsafe.certificates.offline import VerificationStatus as Offline
from regsafe.certificates.offline import verify_bundle, verify_qr
from regsafe.certificates.qr import encode_qr_text
from regsafe.certificates.signing import Ed25519Signer, KeyRing, Sm2Signer
from regsafe.certificates.tree_head import TreeHead, sign_tree_head
from regsafe.certificates.vc import credential, did_key, sign_credential, verify_credential
from regsafe.certificates.witness import FileWitness
from regsafe.core.clock import utcnow
from regsafe.core.errors import DomainError
from regsafe.core.runtime import Runtime
from regsafe.identity.models import Specialty
from regsafe.registration.models import Registration
from regsafe.registration.rules import ApplicationKind
from tests.certificates.helpers import TODAY, register, the_active_certificate
from tests.plugins.identity import World, make_id_number

REVIEWER = Viewer(user_id=None, roles=frozenset({Role.MINISTRY_REVIEWER}))
V = service.VerificationStatus


async def _verify(rt: Runtime, **kw: str) -> service.Verification:
    async with rt.db.session() as s:
        return await service.verify_online(s, keys=issuer_keys(rt.settings), today=TODAY, **kw)


async def _sign(rt: Runtime, **kw: object) -> ledger.StoredTreeHead | None:
    async with rt.db.session() as s:
        head = await ledger.sign_now(
            s,
            keys=issuer_keys(rt.settings),
            origin="test-log",
            now=utcnow(),
            **kw,  # type: ignore[arg-type]
        )
        await s.commit()
        return head


async def test_initial_registration_issues_one_signed_logged_certificate(
    world: World, runtime: Runtime
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    async with runtime.db.session() as s:
        again = await the_active_certificate(s, world.pid("zhang"), runtime.settings)
        reg = await s.get(Registration, cert.registration_id)
    assert again.id == cert.id and reg is not None
    payload = CertificatePayload.from_bytes(cert.payload)
    assert payload.kind.value == "ISSUED" and payload.previous_number is None
    assert (payload.valid_from, payload.valid_until) == (reg.valid_from, reg.valid_until)
    # Defect 1: the signed payload (the QR code) holds only the PUBLIC forms, and a
    # binding of this certificate to the number instead of the person blind index.
    id_number = make_id_number("440305", date(1985, 6, 15), 123)
    assert payload.holder_name_masked == "张*"
    assert payload.id_number_masked == id_number[0] + "*" * 16 + id_number[-1]
    assert id_number[:6] not in payload.id_number_masked
    assert id_number[-4:] not in payload.id_number_masked
    person_index = world.people["zhang"].id_number_index.hex()
    assert payload.holder_blind_index != person_index
    assert person_index not in cert.payload.decode()
    assert "19850615" not in cert.payload.decode()
    binding = service.holder_binding(runtime.cipher, id_number=id_number, number=cert.number)
    assert payload.holder_blind_index == binding.hex() == cert.holder_blind_index.hex()
    assert payload.employer_credit_code == world.employers["chem"].credit_code
    number = parse_number(cert.number)
    assert (number.province, number.specialty.value) == ("44", "CHEMICAL")
    assert cert.qualification_number == "Q2022CHEM0001"


async def test_numbers_are_sequential_per_year_province_and_specialty(
    world: World, runtime: Runtime
) -> None:
    a = await register(runtime, world, key="zhang")
    b = await register(runtime, world, key="li")
    c = await register(
        runtime, world, key="zhao", specialty=Specialty.CONSTRUCTION, employer="beijing"
    )
    assert a and b and c
    na, nb, nc = (parse_number(x.number) for x in (a, b, c))
    assert nb.sequence == na.sequence + 1 and (na.province, na.specialty) == (
        nb.province,
        nb.specialty,
    )
    assert (nc.province, nc.specialty.value) == ("11", "CONSTRUCTION") and nc.sequence == 1


async def test_renewal_and_change_supersede_with_a_link_and_change_keeps_the_expiry(
    world: World, runtime: Runtime
) -> None:
    first = await register(runtime, world)
    renewed = await register(runtime, world, kind=ApplicationKind.RENEWAL)
    changed = await register(runtime, world, kind=ApplicationKind.CHANGE, employer="agency")
    assert first and renewed and changed
    async with runtime.db.session() as s:
        rows = {
            c.id: c
            for c in (
                await s.exec(
                    select(Certificate).where(col(Certificate.person_id) == world.pid("zhang"))
                )
            ).all()
        }
    assert rows[first.id].status == rows[renewed.id].status == CertificateStatus.SUPERSEDED
    assert renewed.previous_id == first.id and changed.previous_id == renewed.id
    assert CertificatePayload.from_bytes(renewed.payload).previous_number == first.number
    assert renewed.kind == "RENEWED" and changed.kind == "CHANGED"
    assert changed.valid_until == renewed.valid_until  # change keeps the original expiry
    assert changed.employer_name == world.employers["agency"].name
    old = await _verify(runtime, number=first.number)
    assert old.status is V.SUPERSEDED and old.superseded_by == renewed.number
    assert old.current_employer_name == world.employers["agency"].name  # anti-挂证
    # a person never has two ACTIVE certificates, even if a writer skips the service
    async with runtime.db.session() as s:
        row = await s.get(Certificate, first.id)
        assert row is not None
        row.status = "ACTIVE"
        s.add(row)
        with pytest.raises(Exception, match="uq_certificate_active_person"):
            await s.flush()


async def test_cancellation_ends_the_certificate_with_a_signed_logged_record(
    world: World, runtime: Runtime
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    assert await register(runtime, world, kind=ApplicationKind.CANCELLATION) is None
    async with runtime.db.session() as s:
        ended = await s.get(Certificate, cert.id)
        assert ended is not None and ended.end_leaf_index is not None
        leaf = await s.get(LogLeaf, ended.end_leaf_index)
    assert ended.status == CertificateStatus.CANCELLED and leaf is not None
    assert leaf.event == "CANCELLED"
    result = await _verify(runtime, number=cert.number)
    assert result.status is V.CANCELLED and "注销" in result.reasons[0]


async def test_revocation_needs_a_reason_says_when_and_why_everywhere(
    world: World, runtime: Runtime
) -> None:
    cert = await register(runtime, world)
    assert cert is not None and cert.id is not None
    keys = issuer_keys(runtime.settings)
    async with runtime.db.session() as s:
        for viewer, reason, code in (
            (
                Viewer(roles=frozenset({Role.REGISTRANT}), person_id=world.pid("zhang")),
                "x",
                "NOT_PERMITTED",
            ),
            (REVIEWER, "  ", "REASON_REQUIRED"),
            (REVIEWER, "很长" * 60, "TOO_LONG"),
        ):
            with pytest.raises(DomainError) as caught:
                await service.revoke_certificate(
                    s, viewer=viewer, keys=keys, certificate_id=cert.id, reason=reason, now=utcnow()
                )
            assert caught.value.code == code
        await service.revoke_certificate(
            s,
            viewer=REVIEWER,
            keys=keys,
            certificate_id=cert.id,
            reason="以欺骗手段取得注册",
            now=utcnow(),
        )
        await s.commit()
        with pytest.raises(DomainError) as again:
            await service.revoke_certificate(
                s, viewer=REVIEWER, keys=keys, certificate_id=cert.id, reason="再次", now=utcnow()
            )
        assert again.value.code == "NOT_ACTIVE"
        reg = await s.get(Registration, cert.registration_id)
        assert reg is not None and reg.status == "CANCELLED"
        listing = await service.status_list(s, keys=keys, now=utcnow(), ttl=timedelta(minutes=5))
    online = await _verify(runtime, number=cert.number)
    assert online.status is V.REVOKED
    assert "撤销" in online.reasons[0] and "以欺骗手段取得注册" in online.reasons[0]
    assert listing.verify(keys) and listing.status_list().get(cert.status_list_index)
    offline = verify_qr(
        encode_qr_text(service.signed_of(cert)),
        keys.public(),
        today=TODAY,
        status_list=listing,
        now=utcnow(),
    )
    assert offline.status is Offline.REVOKED


async def test_proofs_from_stored_nodes_verify_and_heads_are_consistent(
    world: World, runtime: Runtime
) -> None:
    a = await register(runtime, world, key="zhang")
    first = await _sign(runtime)
    b = await register(runtime, world, key="li")
    assert await _sign(runtime, min_interval_seconds=3600) is None  # policy: not yet
    second = await _sign(runtime)
    assert a and b and first and second
    assert await _sign(runtime) is None  # nothing new
    async with runtime.db.session() as s:
        for cert in (a, b):
            proof = await ledger.inclusion(s, cert.leaf_index, second.row.size)
            leaf = await s.get(LogLeaf, cert.leaf_index)
            assert leaf is not None
            assert verify_inclusion(
                leaf.leaf_hash, cert.leaf_index, second.row.size, proof, second.row.root_hash
            )
        consistency = await ledger.consistency(s, first.row.size, second.row.size)
    assert verify_consistency(
        first.row.size, second.row.size, first.row.root_hash, second.row.root_hash, consistency
    )
    result = await _verify(runtime, number=a.number)
    assert result.status is V.VALID and result.inclusion_verified and result.signature_valid
    # the holder's bundle verifies offline
    async with runtime.db.session() as s:
        bundle = await service.bundle(
            s, cert=b, keys=issuer_keys(runtime.settings), origin="test-log", now=utcnow()
        )
    checked = verify_bundle(bundle.to_json(), issuer_keys(runtime.settings).public(), today=TODAY)
    assert checked.status is Offline.VALID, checked.reasons


async def test_qr_payload_is_verified_and_a_forged_one_is_tampered(
    world: World, runtime: Runtime
) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    qr = encode_qr_text(service.signed_of(cert))
    assert (await _verify(runtime, qr_payload=qr)).status is V.VALID
    forged = bytearray(cert.payload)
    forged[forged.index(b"2026")] = ord("3")
    fake = encode_qr_text(service.SignedPayload(bytes(forged), cert.key_id, cert.signature))
    assert (await _verify(runtime, qr_payload=fake)).status is V.TAMPERED
    typo = cert.number[:-3] + cert.number[-2] + cert.number[-3] + cert.number[-1]
    unknown = await _verify(runtime, number=typo)
    assert unknown.status is V.UNKNOWN and "校验位" in unknown.reasons[0]


async def test_an_edited_row_reads_as_tampered(world: World, runtime: Runtime) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    async with runtime.db.session() as s:
        await s.exec(  # type: ignore[call-overload]
            text("UPDATE certificate SET employer_name = '别的公司' WHERE id = :i").bindparams(
                i=cert.id
            )
        )
        await s.commit()
    result = await _verify(runtime, number=cert.number)
    assert result.status is V.TAMPERED and "employer_name" in " ".join(result.reasons)


async def test_rotation_keeps_old_certificates_valid(world: World, runtime: Runtime) -> None:
    old = await register(runtime, world, key="zhang")
    assert old is not None
    new_key = Ed25519Signer.generate()
    published = issuer_keys(runtime.settings).public().to_json()
    rotated = runtime.settings.model_copy(
        update={
            "certificate_signing_key": new_key.to_pem().decode(),
            "certificate_verify_keys": published,
        }
    )
    rt = Runtime(rotated, runtime.db, runtime.cipher, runtime.store)
    new = await register(rt, world, key="li")
    assert new is not None and new.key_id == new_key.public_key.key_id != old.key_id
    for cert in (old, new):
        assert (await _verify(rt, number=cert.number)).status is V.VALID
    # a compromised key removed from the ring: what it signed no longer verifies
    without = issuer_keys(rotated).without(old.key_id)
    async with runtime.db.session() as s:
        result = await service.verify_online(s, keys=without, number=old.number, today=TODAY)
    assert result.status is V.TAMPERED


async def test_sm2_deployment_issues_and_verifies(world: World, runtime: Runtime) -> None:
    signer = Sm2Signer.generate()
    settings = runtime.settings.model_copy(
        update={"certificate_algorithm": "SM2", "certificate_signing_key": signer.to_hex()}
    )
    rt = Runtime(settings, runtime.db, runtime.cipher, runtime.store)
    cert = await register(rt, world)
    assert cert is not None and cert.key_id == signer.public_key.key_id
    assert (await _verify(rt, number=cert.number)).status is V.VALID
    with pytest.raises(ValueError):
        did_key(signer.public_key)


async def test_verifiable_credential_is_eddsa_jcs_2022(world: World, runtime: Runtime) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    signer = issuer_keys(runtime.settings).active
    assert signer is not None
    doc = credential(
        CertificatePayload.from_bytes(cert.payload),
        issuer=did_key(signer.public_key),
        status_url="https://regsafe.example/verify/status-list",
    )
    vc = sign_credential(doc, signer, created=utcnow())
    assert verify_credential(vc)
    assert '"cryptosuite": "eddsa-jcs-2022"' in vc and '"proofValue": "z' in vc
    assert not verify_credential(vc.replace(cert.employer_name, "别的公司"))


async def test_file_witness_cosigns_consistent_heads_only(
    world: World, runtime: Runtime, tmp_path: Path
) -> None:
    witness = FileWitness(tmp_path, issuer_keys(runtime.settings))
    await register(runtime, world, key="zhang")
    one = await _sign(runtime, anchors=[witness])
    await register(runtime, world, key="li")
    two = await _sign(runtime, anchors=[witness])
    assert one and two and len(two.cosignatures) == 1
    assert two.signed.verified_witnesses(witness.public_keys) == [witness.signer.public_key.key_id]
    assert (tmp_path / "latest.json").exists()
    # a head from another history (a split view) is refused
    active = issuer_keys(runtime.settings).active
    assert active is not None
    forged = sign_tree_head(TreeHead("test-log", two.row.size + 1, b"\x07" * 32, 1), active)
    with pytest.raises(Exception, match="consistent"):
        witness.cosign(forged, [])


async def test_log_tables_refuse_update_and_delete(world: World, runtime: Runtime) -> None:
    await register(runtime, world)
    await _sign(runtime)
    for table in ("certificate_log_leaf", "certificate_log_node", "certificate_tree_head"):
        async with runtime.db.session() as s:
            with pytest.raises(Exception, match="append-only"):
                await s.exec(text(f"DELETE FROM {table}"))  # type: ignore[call-overload]
            await s.rollback()


async def test_other_keys_cannot_pass_for_the_issuer(world: World, runtime: Runtime) -> None:
    cert = await register(runtime, world)
    assert cert is not None
    stranger = KeyRing.of([Ed25519Signer.generate().public_key])
    async with runtime.db.session() as s:
        result = await service.verify_online(s, keys=stranger, number=cert.number, today=TODAY)
    assert result.status is V.TAMPERED and result.signature_valid is False
