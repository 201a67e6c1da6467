"""`regsafe`: serve, dev, migrate, seed, worker, export-schema, verify, tree-head.

Commands that need PostgreSQL or S3 and find none configured start the embedded ones
(pgserver and SeaweedFS under REGSAFE_DATA_DIR, default .regsafe/) for their duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regsafe.core.embedded import EmbeddedServices
from regsafe.core.logging import configure_logging
from regsafe.core.settings import Settings, connection_plan, get_settings, resolve_workers

if TYPE_CHECKING:
    from regsafe.jobs.supervisor import WorkerSupervisor

log = logging.getLogger("regsafe.cli")


@contextlib.contextmanager
def services(settings: Settings, *, s3: bool) -> Iterator[Settings]:
    """Settings with every needed service reachable; embedded ones stop on exit."""
    wanted = (
        settings if s3 else settings.model_copy(update={"s3_endpoint": settings.s3_endpoint or "-"})
    )
    embedded = EmbeddedServices(wanted)
    try:  # a start that fails half-way (or Ctrl-C during it) stops what did start
        resolved = embedded.start()
        if not s3 and resolved.s3_endpoint == "-":
            resolved = resolved.model_copy(update={"s3_endpoint": settings.s3_endpoint})
        if embedded.started:
            started = ", ".join(embedded.started)
            print(f"已启动内置服务 embedded services: {started}", file=sys.stderr)
        yield resolved
    finally:
        embedded.stop()


def cmd_migrate(settings: Settings) -> None:
    from regsafe.core.migrate import upgrade_head

    assert settings.database_url
    upgrade_head(settings.database_url)
    print("数据库已迁移到最新版本 (alembic head)")


async def _seed(settings: Settings, people: int, province: str, only_if_empty: bool) -> None:
    from regsafe.core.runtime import Runtime
    from regsafe.seed import DEMO_PASSWORD, is_seeded, seed

    rt = Runtime.from_settings(settings)
    try:
        if only_if_empty and await is_seeded(rt.db):
            print(f"演示数据已存在，跳过生成。演示账号密码均为 {DEMO_PASSWORD}")
            await _print_logins(rt)
            return
        from regsafe.certificates import tasks as certificate_tasks

        # The registered demo registrant gets a signed certificate (PDF by the worker).
        report = await seed(
            rt.db,
            rt.cipher,
            people=people,
            province=province,
            certificates=certificate_tasks.issuer(rt),
        )
        rate = report.persons / report.seconds if report.seconds else 0
        print(
            f"已生成 {report.persons} 名人员、{report.employers} 家单位、"
            f"{report.employments} 条聘用记录、{report.users} 个账号，"
            f"用时 {report.seconds:.1f} 秒（{rate:,.0f} 人/秒）"
        )
        if report.logins:
            print(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for login in report.logins:
                print(f"  {login.username:<12} {login.role:<20} {login.note}")
    finally:
        await rt.db.dispose()


async def _print_logins(rt: object) -> None:
    from sqlmodel import select

    from regsafe.auth.models import User
    from regsafe.core.runtime import Runtime

    assert isinstance(rt, Runtime)
    async with rt.db.session() as s:
        users = (await s.exec(select(User).order_by(User.id).limit(20))).all()  # type: ignore[arg-type]
    for u in users:
        print(f"  {u.username:<12} {','.join(u.roles):<20} {u.display_name}")


def _uvicorn_config(settings: Settings, worker: WorkerSupervisor | None = None) -> object:
    import uvicorn

    from regsafe.core.runtime import Runtime
    from regsafe.web.app import create_app

    app = create_app(Runtime.from_settings(settings), worker=worker)
    # No proxy_headers: uvicorn would believe any X-Forwarded-For from FORWARDED_ALLOW_IPS;
    # core.net.client_address reads it from REGSAFE_TRUSTED_PROXIES only. The HTTP
    # parser is "auto": httptools when installed.
    return uvicorn.Config(
        app, host=settings.host, port=settings.port, log_config=None, proxy_headers=False
    )


def _run_serving(main: Coroutine[Any, Any, None]) -> None:
    """Run the single-process server on uvloop when installed (uvicorn's "auto" loop;
    ``asyncio.run`` would give the default loop, as uvicorn only picks the loop in
    ``Server.run``, which the in-process worker's task cannot use)."""
    from uvicorn.loops.auto import auto_loop_factory

    with asyncio.Runner(loop_factory=auto_loop_factory()) as runner:
        runner.run(main)


def cmd_serve(settings: Settings, *, workers: int, with_worker: bool) -> int:
    """One API process (with the job worker in it, if asked), or ``workers`` of them
    beside one job worker process (web/serving.py)."""
    if workers == 1:
        _run_serving(_serve(settings, with_worker=with_worker))
        return 0
    from regsafe.web.serving import serve_workers

    return serve_workers(settings, workers=workers, with_worker=with_worker)


def check_connections(settings: Settings, *, api_processes: int, job_worker: bool) -> bool:
    """Refuse a start whose pools could exceed REGSAFE_DB_CONNECTION_BUDGET."""
    plan = connection_plan(settings, api_processes=api_processes, job_worker=job_worker)
    problem = plan.problem()
    if problem:
        print(problem, file=sys.stderr)
        return False
    log.info(
        "PostgreSQL connections at most",
        extra={"connections": plan.total, "plan": plan.explain(), "budget": plan.budget},
    )
    return True


async def _serve(settings: Settings, *, with_worker: bool) -> None:
    import uvicorn

    from regsafe.jobs.supervisor import supervised_worker

    if not with_worker:
        await uvicorn.Server(_uvicorn_config(settings)).serve()  # type: ignore[arg-type]
        return
    # Supervised: procrastinate stops a worker for good when PostgreSQL restarts; this
    # one is started again, and /readyz reports it.
    supervisor = supervised_worker(settings, concurrency=2)
    server = uvicorn.Server(_uvicorn_config(settings, supervisor))  # type: ignore[arg-type]
    worker = asyncio.create_task(supervisor.run())  # opens its own connection pool
    try:
        await server.serve()
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)


async def _worker(settings: Settings, queues: list[str] | None, concurrency: int) -> None:
    from regsafe.web.serving import run_job_worker

    await run_job_worker(settings, queues=queues, concurrency=concurrency)


def cmd_export_schema(output: str, check: bool) -> int:
    from regsafe.graphql.schema import schema_sdl

    sdl = schema_sdl()
    path = Path(output)
    if check:
        if not path.exists() or path.read_text() != sdl:
            print(f"{output} 与代码不一致：运行 `regsafe export-schema` 并提交", file=sys.stderr)
            return 1
        print(f"{output} 与代码一致")
        return 0
    if output == "-":
        sys.stdout.write(sdl)
    else:
        path.write_text(sdl)
        print(f"已写入 {output}")
    return 0


def cmd_verify_offline(
    source: str, keys_file: str | None, status_file: str | None, witness_file: str | None
) -> int:
    """`regsafe verify <qr-text | bundle.json>`: no database, no network."""
    from datetime import UTC, datetime

    from regsafe.certificates.offline import Outcome, VerificationStatus, verify_any
    from regsafe.certificates.signing import KeyLoadError, KeyRing
    from regsafe.certificates.status_list import SignedStatusList, StatusListError
    from regsafe.core.clock import today_shanghai

    if keys_file is None:
        print("请用 --keys 指定公布的公钥文件 (keys.json，见 /verify/keys.json); "
              "--keys is required offline", file=sys.stderr)  # fmt: skip
        return 2
    # QR text (the link or bare RS1:) or bundle JSON itself; anything else is a file
    inline = source.lstrip().lower().startswith(("rs1:", "{", "http://", "https://"))
    try:
        text = source if inline else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"无法读取文件 (cannot read file): {exc}", file=sys.stderr)
        return 2
    try:
        keys = KeyRing.from_json(Path(keys_file).read_bytes())
        witnesses = KeyRing.from_json(Path(witness_file).read_bytes()) if witness_file else None
        status = SignedStatusList.from_json(Path(status_file).read_bytes()) if status_file else None
    except (OSError, KeyLoadError, StatusListError) as exc:
        print(f"无法读取密钥或状态列表 (cannot read keys or status list): {exc}", file=sys.stderr)
        return 2
    options: dict[str, object] = {"status_list": status, "now": datetime.now(UTC)}
    if witnesses is not None:
        options["witnesses"] = witnesses
    result = verify_any(text, keys, today=today_shanghai(), **options)
    names = {
        VerificationStatus.VALID: "有效 valid",
        VerificationStatus.NOT_YET_VALID: "尚未生效 not yet valid",
        VerificationStatus.EXPIRED: "已过期 expired",
        VerificationStatus.REVOKED: "已撤销/注销 revoked",
        VerificationStatus.TAMPERED: "被篡改 tampered",
        VerificationStatus.UNKNOWN_KEY: "签发密钥未知 unknown key",
        VerificationStatus.MALFORMED: "格式错误 malformed",
    }
    print(f"结论 status: {names[result.status]}")
    if result.payload is not None:
        p = result.payload
        print(f"证书编号 number: {p.number}  持证人 holder: {p.holder_name_masked} "
              f"{p.id_number_masked}")  # fmt: skip
        print(f"专业 specialty: {p.specialty.value}  单位 employer: {p.employer_name} "
              f"({p.employer_credit_code})")  # fmt: skip
        print(f"有效期 validity: {p.valid_from} – {p.valid_until}")
    for check, outcome in result.checks.items():
        mark = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.SKIPPED: "-"}[outcome]
        print(f"  {mark} {check.value}")
    if result.witnesses:
        print(f"见证方副署 witnesses: {', '.join(result.witnesses)}")
    for reason in result.reasons:
        print(f"  · {reason}")
    return 0 if result.status is VerificationStatus.VALID else 1


async def _audit(settings: Settings, witnesses_json: bytes | None) -> int:
    from regsafe.certificates.integrity import audit_log
    from regsafe.certificates.keys import issuer_keys
    from regsafe.certificates.signing import KeyRing
    from regsafe.core.runtime import Runtime

    witnesses = KeyRing.from_json(witnesses_json) if witnesses_json else None
    rt = Runtime.from_settings(settings)
    try:
        async with rt.db.session() as session:
            report = await audit_log(session, issuer_keys(settings).public(), witnesses=witnesses)
    finally:
        await rt.db.dispose()
    print(
        f"已审计 audited: {report.certificates} 张证书 certificates, {report.leaves} 个叶子 "
        f"leaves, {report.nodes} 个节点 nodes, {report.tree_heads} 个签名树头 tree heads, "
        f"{report.cosignatures} 个副署 cosignatures"
    )
    if report.ok:
        print("审计通过：日志与证书均未被篡改 (audit passed: log and certificates intact)")
        return 0
    print(f"发现 {len(report.problems)} 处问题 (problems found):", file=sys.stderr)
    for problem in report.problems:
        print(f"  ✗ {problem}", file=sys.stderr)
    return 1


async def _tree_head(settings: Settings) -> int:
    from regsafe.certificates.tasks import sign_tree_head_now
    from regsafe.core.runtime import Runtime

    rt = Runtime.from_settings(settings)
    try:
        async with rt.db.session() as session:
            head = await sign_tree_head_now(session, settings, force=True)
            await session.commit()
    finally:
        await rt.db.dispose()
    if head is None:
        print("没有新的日志叶子，未签名新树头 (no new leaves since the last tree head)")
    else:
        print(f"已签名树头 signed tree head: size {head.row.size}, "
              f"{len(head.cosignatures)} 个副署 cosignatures")  # fmt: skip
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regsafe", description="RegSafe 注册安全工程师管理平台")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="serve the API and the SPA")
    p_serve.add_argument(
        "--with-worker",
        action="store_true",
        help="also run the job worker (in-process; a process of its own with --workers > 1)",
    )
    p_serve.add_argument(
        "--workers",
        help="API worker processes: a number or auto (= CPU cores); default REGSAFE_WORKERS (1)",
    )
    p_dev = sub.add_parser("dev", help="embedded services + migrate + demo data + serve")
    p_dev.add_argument("--people", type=int, default=300)
    p_dev.add_argument("--province", default="440000")
    sub.add_parser("migrate", help="alembic upgrade head")
    p_seed = sub.add_parser("seed", help="bulk demo data (COPY)")
    p_seed.add_argument("--people", type=int, default=1000)
    p_seed.add_argument("--province", default="440000")
    p_worker = sub.add_parser("worker", help="run the procrastinate job worker")
    p_worker.add_argument("--queue", action="append", dest="queues")
    p_worker.add_argument("--concurrency", type=int, default=2)
    p_schema = sub.add_parser("export-schema", help="write schema.graphql from the code")
    p_schema.add_argument("--output", default="schema.graphql")
    p_schema.add_argument("--check", action="store_true", help="fail if the file differs")
    p_verify = sub.add_parser(
        "verify",
        help="verify a certificate QR text or proof bundle offline, or --audit the whole log",
    )
    p_verify.add_argument(
        "source", nargs="?", help="QR text (the link …/verify?qr=RS1:…, or RS1:…) or a bundle file"
    )
    p_verify.add_argument("--keys", help="published key set (keys.json)")
    p_verify.add_argument("--status-list", help="signed status list (JSON) to check revocation")
    p_verify.add_argument("--witness-keys", help="witness key set (JSON) to check cosignatures")
    p_verify.add_argument(
        "--audit", action="store_true", help="recompute the log from the database and check all"
    )
    sub.add_parser("tree-head", help="sign a tree head of the certificate log now")
    args = parser.parse_args(argv)

    if args.command == "export-schema":
        return cmd_export_schema(args.output, args.check)
    if args.command == "verify" and not args.audit:
        if not args.source:
            parser.error("verify needs a QR text or bundle file, or --audit")
        return cmd_verify_offline(args.source, args.keys, args.status_list, args.witness_keys)

    settings = get_settings()
    configure_logging(settings.log_level)
    workers = 1
    if args.command == "serve":
        try:
            workers = resolve_workers(args.workers or settings.workers)
        except ValueError:
            parser.error(f"--workers: a number ≥ 1 or auto, not {args.workers!r}")
    # Before any embedded service starts: a refused start should be quick and clear.
    if args.command in ("serve", "dev", "worker") and not check_connections(
        settings,
        api_processes=0 if args.command == "worker" else workers,
        job_worker=args.command != "serve" or args.with_worker,
    ):
        return 2
    # SIGTERM (docker stop, kill, CI) must unwind like Ctrl-C so embedded services stop;
    # uvicorn installs its own graceful handler while it serves.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if args.command == "migrate":
        with services(settings, s3=False) as s:
            cmd_migrate(s)
    elif args.command == "seed":
        with services(settings, s3=False) as s:
            asyncio.run(_seed(s, args.people, args.province, only_if_empty=False))
    elif args.command == "verify":
        with services(settings, s3=False) as s:
            witnesses = Path(args.witness_keys).read_bytes() if args.witness_keys else None
            return asyncio.run(_audit(s, witnesses))
    elif args.command == "tree-head":
        with services(settings, s3=False) as s:
            return asyncio.run(_tree_head(s))
    elif args.command == "worker":
        with services(settings, s3=False) as s:
            asyncio.run(_worker(s, args.queues, args.concurrency))
    elif args.command == "serve":
        with services(settings, s3=True) as s:
            return cmd_serve(s, workers=workers, with_worker=args.with_worker)
    elif args.command == "dev":
        with services(settings, s3=True) as s:
            cmd_migrate(s)
            asyncio.run(_seed(s, args.people, args.province, only_if_empty=True))
            print(f"RegSafe 已启动: http://{s.host}:{s.port}/  (GraphQL: /graphql)  Ctrl-C 停止")
            with contextlib.suppress(KeyboardInterrupt):
                _run_serving(_serve(s, with_worker=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
