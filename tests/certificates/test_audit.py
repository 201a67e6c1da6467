"""`regsafe verify --audit` and offline `regsafe verify`: change one byte anywhere — a
certificate row, a leaf, a node, a tree head — and the audit reports it. The log tables
refuse changes, so the tests act as the database superuser with the trigger disabled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from regsafe import cli
from regsafe.certificates import ledger, service
from regsafe.certificates.integrity import audit_log
from regsafe.certificates.keys import issuer_keys
from regsafe.certificates.qr import encode_qr_text, qr_url
from regsafe.certificates.witness import FileWitness
from regsafe.core.clock import utcnow
from regsafe.core.runtime import Runtime
from regsafe.registration.rules import ApplicationKind
from tests.certificates.helpers import register
from tests.plugins.identity import World

FLIP = "set_byte({col}, 5, get_byte({col}, 5) # 1)"
TAMPERING = {
    "certificate payload": ("certificate", None, "UPDATE certificate SET payload = "
                            + FLIP.format(col="payload")
                            + " WHERE id = (SELECT min(id) FROM certificate)"),
    "certificate column": ("certificate", None,
                           "UPDATE certificate SET valid_until = valid_until + 365"),
    "leaf": ("certificate_log_leaf", "certificate_log_leaf_append_only",
             "UPDATE certificate_log_leaf SET leaf_hash = " + FLIP.format(col="leaf_hash")
             + " WHERE index = 1"),
    "node": ("certificate_log_node", "certificate_log_node_append_only",
             "UPDATE certificate_log_node SET hash = " + FLIP.format(col="hash")
             + " WHERE level = 1 AND index = 0"),
    "tree head root": ("certificate_tree_head", "certificate_tree_head_append_only",
                       "UPDATE certificate_tree_head SET root_hash = "
                       + FLIP.format(col="root_hash")),
    "tree head signature": ("certificate_tree_head", "certificate_tree_head_append_only",
                            "UPDATE certificate_tree_head SET signature = "
                            + FLIP.format(col="signature")),
    "deleted leaf": ("certificate_log_leaf", "certificate_log_leaf_append_only",
                     "DELETE FROM certificate_log_leaf WHERE index = 2"),
}  # fmt: skip


async def _history(rt: Runtime, world: World, witness: FileWitness | None = None) -> None:
    """Three certificates, a renewal and a cancellation (six leaves), two signed heads."""
    await register(rt, world, key="zhang")
    await register(rt, world, key="li")
    async with rt.db.session() as s:
        await ledger.sign_now(s, keys=issuer_keys(rt.settings), origin="o", now=utcnow(),
                              anchors=[witness] if witness else [])  # fmt: skip
        await s.commit()
    await register(rt, world, key="zhang", kind=ApplicationKind.RENEWAL)
    await register(rt, world, key="zhao", employer="beijing")
    await register(rt, world, key="zhao", kind=ApplicationKind.CANCELLATION, employer="beijing")
    async with rt.db.session() as s:
        await ledger.sign_now(s, keys=issuer_keys(rt.settings), origin="o", now=utcnow(),
                              anchors=[witness] if witness else [])  # fmt: skip
        await s.commit()


async def test_an_untouched_log_passes_the_audit(
    world: World, runtime: Runtime, tmp_path: Path
) -> None:
    witness = FileWitness(tmp_path, issuer_keys(runtime.settings))
    await _history(runtime, world, witness)
    async with runtime.db.session() as s:
        report = await audit_log(s, issuer_keys(runtime.settings).public(),
                                 witnesses=witness.public_keys)  # fmt: skip
    assert report.ok, report.problems
    assert (report.certificates, report.leaves, report.tree_heads) == (4, 5, 2)
    assert report.nodes == 5 + 2 + 1 and report.cosignatures == 2


@pytest.mark.parametrize("what", list(TAMPERING))
async def test_one_changed_byte_is_reported(world: World, runtime: Runtime, what: str) -> None:
    await _history(runtime, world)
    table, trigger, statement = TAMPERING[what]
    async with runtime.db.session() as s:
        if trigger:
            await s.exec(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))  # type: ignore[call-overload]
        await s.exec(text(statement))  # type: ignore[call-overload]
        if trigger:
            await s.exec(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))  # type: ignore[call-overload]
        await s.commit()
        report = await audit_log(s, issuer_keys(runtime.settings).public())
    assert not report.ok, what
    assert all("(" in p and ")" in p for p in report.problems)  # Chinese (English)


async def test_offline_cli_verifies_qr_and_bundle_and_reports_revocation(
    world: World, runtime: Runtime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cert = await register(runtime, world)
    assert cert is not None and cert.id is not None
    keys = issuer_keys(runtime.settings)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(keys.public().to_json())
    qr = encode_qr_text(service.signed_of(cert))
    assert cli.main(["verify", qr, "--keys", str(keys_file)]) == 0
    assert "有效 valid" in capsys.readouterr().out
    link = qr_url(service.signed_of(cert), "https://regsafe.example")  # what the QR carries
    assert cli.main(["verify", link, "--keys", str(keys_file)]) == 0
    assert "有效 valid" in capsys.readouterr().out
    async with runtime.db.session() as s:
        bundle = await service.bundle(s, cert=cert, keys=keys, origin="o", now=utcnow())
        await s.commit()
    bundle_file = tmp_path / "bundle.json"
    bundle_file.write_text(bundle.to_json())
    assert cli.main(["verify", str(bundle_file), "--keys", str(keys_file)]) == 0
    out = capsys.readouterr().out
    assert "✓ INCLUSION" in out and "✓ TREE_HEAD_SIGNATURE" in out
    doc = json.loads(bundle.to_json())
    doc["payload"] = doc["payload"].replace(cert.employer_name, "别的公司")
    bundle_file.write_text(json.dumps(doc, ensure_ascii=False))
    assert cli.main(["verify", str(bundle_file), "--keys", str(keys_file)]) == 1
    assert "被篡改 tampered" in capsys.readouterr().out
    async with runtime.db.session() as s:
        from regsafe.auth.roles import Role, Viewer

        await service.revoke_certificate(
            s, viewer=Viewer(roles=frozenset({Role.ADMIN})), keys=keys, certificate_id=cert.id,
            reason="测试撤销", now=utcnow(),
        )  # fmt: skip
        from datetime import timedelta

        listing = await service.status_list(s, keys=keys, now=utcnow(), ttl=timedelta(minutes=5))
        await s.commit()
    status_file = tmp_path / "status.json"
    status_file.write_text(listing.to_json())
    code = cli.main(["verify", qr, "--keys", str(keys_file), "--status-list", str(status_file)])
    assert code == 1 and "已撤销/注销 revoked" in capsys.readouterr().out
