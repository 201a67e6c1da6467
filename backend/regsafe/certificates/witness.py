"""A file-based witness (见证方): the pluggable ``Anchor`` for tests and single-site
deployments. It keeps its own Ed25519 key in its directory (not the log's), refuses a
head that is not signed by the log or not consistent with the last head it saw, writes
each accepted head as JSON, and returns its cosignature. A real witness would run
elsewhere; this one shows the protocol and lets tests prove split views are caught."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from regsafe.certificates.merkle import verify_consistency
from regsafe.certificates.signing import Ed25519Signer, KeyRing
from regsafe.certificates.tree_head import Cosignature, SignedTreeHead, cosign

KEY_FILE = "witness-key.pem"
LATEST = "latest.json"


class WitnessRefused(Exception):
    """The head is not signed by the log or contradicts what the witness saw."""


class FileWitness:
    def __init__(self, directory: Path, log_keys: KeyRing, name: str = "file-witness") -> None:
        self.directory = directory
        self.log_keys = log_keys.public()
        self.name = name
        directory.mkdir(parents=True, exist_ok=True)
        key_path = directory / KEY_FILE
        if key_path.exists():
            self.signer = Ed25519Signer.from_pem(key_path.read_bytes())
        else:
            self.signer = Ed25519Signer.generate()
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.signer.to_pem())

    @property
    def public_keys(self) -> KeyRing:
        return KeyRing.of([self.signer.public_key])

    def last_seen(self) -> SignedTreeHead | None:
        path = self.directory / LATEST
        if not path.exists():
            return None
        return SignedTreeHead.from_json_dict(json.loads(path.read_text()))

    def cosign(self, sth: SignedTreeHead, proof: Sequence[bytes]) -> Cosignature:
        if sth.key_id not in self.log_keys or not sth.verify(self.log_keys):
            raise WitnessRefused("tree head not signed by the log")
        last = self.last_seen()
        if last is not None and not verify_consistency(
            last.head.size, sth.head.size, last.head.root_hash, sth.head.root_hash, proof
        ):
            raise WitnessRefused(
                f"tree head {sth.head.size} is not consistent with {last.head.size}"
            )
        document = json.dumps(sth.to_json_dict(), indent=2)
        (self.directory / f"head-{sth.head.size:012d}-{sth.head.timestamp_ms}.json").write_text(
            document
        )
        (self.directory / LATEST).write_text(document)
        return cosign(sth, self.signer, int(time.time() * 1000))
