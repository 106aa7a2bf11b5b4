"""Certificate rendering speed and batch issuing (a benchmark, not a test).

    .venv/bin/python benchmarks/certificate_bench.py [--rounds 40] [--batch 500] [--processes 2]

Prints, from one run:
* one certificate against a bare one-page WeasyPrint document with the same three
  bundled fonts (each font used once), both as plain PDF and as PDF/A-3b (what we
  ship), CPU time over interleaved rounds: the ratio of the medians and of the fastest
  rounds (issue 7's target: at most 1.5);
* the cost of PDF/A-3b over a plain PDF;
* issuing a batch (default 500) in a throw-away SQLite database: wall time, the CPU
  time of the worker processes (≈ 2 x wall when both cores work), and peak memory of
  the parent and of the largest worker after a small batch and after the full one
  (about equal when memory stays bounded).
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

NO_PASSWORD = "!"  # noqa: S105 - no hash matches it: benchmark people never log in
RULES = """\
title: "Benchmark programme"
requirements:
  - id: co-led
    label: "Co-led sessions"
    kind: total
    records: sessions
    where:
      role: co-leader
    at_least: 2
"""

BARE = """<!doctype html><html><head><meta charset="utf-8"><style>
@font-face { font-family: "Stillpoint Garamond"; src: url(/static/fonts/EBGaramond12-Regular.otf); }
@font-face { font-family: "Stillpoint Garamond"; font-style: italic;
  src: url(/static/fonts/EBGaramond12-Italic.otf); }
@font-face { font-family: "Stillpoint Sans"; src: url(/static/fonts/NotoSans-Regular.ttf); }
@page { size: A4 landscape; }
body { font-family: "Stillpoint Garamond"; }
i { font-style: italic; }
span { font-family: "Stillpoint Sans"; }
</style></head><body><p>Certificate <i>Márta Győri</i> <span>DEMO-2026-00042-K</span></p></body></html>"""


# The same bare page, with its fonts from the certificate's stylesheet (parsed once, fonts kept).
BARE_CACHED = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<p>Certificate <span class="holder">Márta Győri</span> <span class="label">DEMO-2026-00042-K</span></p>
</body></html>"""


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def single(rounds: int) -> None:
    from flask import current_app
    from weasyprint import HTML

    from app.certificates.rendering import CertificateDocument, render_document
    from app.pdf import PDF_BASE_URL, BundledAssetFetcher, html_to_pdf

    root = Path(current_app.static_folder).resolve()
    doc = CertificateDocument(
        serial="DEMO-2026-00042-K",
        holder_name="Márta Győri-Łukasiewicz",
        programme_title="Balint group leadership course: completion",
        association_name="Demo Balint Society",
        achievement="24 co-led sessions, 14 hours of supervision, 2 leadership workshops, 2024–2026",
        issued_on=dt.date(2026, 3, 5),
        expires_on=dt.date(2031, 3, 5),
        signatory_name="Dr Ada Admin",
        signatory_role="Chair of the Accreditation Committee",
        verify_url="https://stillpoint.example/verify/DEMO-2026-00042-K",
    )
    contenders = {}
    for variant in (None, "pdf/a-3b"):
        options = {"pdf_variant": variant} if variant else {}
        contenders[("bare", variant)] = lambda options=options: HTML(
            string=BARE, base_url=PDF_BASE_URL, url_fetcher=BundledAssetFetcher(root)
        ).write_pdf(**options)
        contenders[("bare, fonts cached", variant)] = lambda variant=variant: html_to_pdf(
            BARE_CACHED, stylesheets=["pdf/certificate.css"], variant=variant
        )
        contenders[("certificate", variant)] = lambda variant=variant: render_document(doc, variant=variant)
    for function in contenders.values():  # warm up: imports, font loading, caches
        function()
    times: dict = {key: [] for key in contenders}
    for _ in range(rounds):
        for key, function in contenders.items():
            started = time.process_time()  # CPU time: steadier than the clock on a shared machine
            function()
            times[key].append(time.process_time() - started)
    for variant in (None, "pdf/a-3b"):
        label = variant or "plain PDF"
        bare, certificate = times[("bare", variant)], times[("certificate", variant)]
        print(
            f"{label:10} bare one-page document {_median_ms(bare):5.1f} ms "
            f"(fastest {min(bare) * 1000:5.1f}), "
            f"certificate {_median_ms(certificate):5.1f} ms (fastest {min(certificate) * 1000:5.1f}): "
            f"ratio {statistics.median(certificate) / statistics.median(bare):.2f} of medians, "
            f"{min(certificate) / min(bare):.2f} of fastest (target <= 1.5)"
        )
        cached = _median_ms(times[("bare, fonts cached", variant)])
        print(f"{'':10} the bare page with our cached fonts: {cached:.1f} ms")
    plain, archival = _median_ms(times[("certificate", None)]), _median_ms(times[("certificate", "pdf/a-3b")])
    sizes = {variant: len(render_document(doc, variant=variant)) for variant in (None, "pdf/a-3b")}
    extra_kb, total_kb = (sizes["pdf/a-3b"] - sizes[None]) / 1024, sizes["pdf/a-3b"] / 1024
    print(
        f"PDF/A-3b costs {archival - plain:+.1f} ms ({(archival / plain - 1) * 100:+.0f}%) and "
        f"{extra_kb:+.1f} KB per certificate ({total_kb:.0f} KB)"
    )


def _seed(count: int, suffix: str):
    """An association, a programme and ``count`` trainees who each meet its one requirement."""
    from app.accounts.models import Association, Membership, Role, User
    from app.database import utcnow
    from app.extensions import db
    from app.logbook.models import SessionRecord
    from app.programmes import services as programmes
    from app.programmes.models import Enrolment

    association = Association(
        slug=f"bench-{suffix}",
        name="Benchmark Society",
        serial_prefix=f"B{suffix}"[:8].upper(),
        signatory_name="Dr Bench",
        signatory_role="Chair",
    )
    db.session.add(association)
    db.session.flush()
    admin = User(email=f"admin-{suffix}@bench.test", name="Admin", password_hash=NO_PASSWORD)
    supervisor = User(email=f"supervisor-{suffix}@bench.test", name="Supervisor", password_hash=NO_PASSWORD)
    db.session.add_all([admin, supervisor])
    db.session.flush()
    db.session.add_all(
        [
            Membership(user_id=admin.id, association_id=association.id, role=Role.ADMIN.value),
            Membership(user_id=supervisor.id, association_id=association.id, role=Role.SUPERVISOR.value),
        ]
    )
    programme = programmes.create_programme(
        admin, association.id, slug="bench", title="Balint group leadership", rule_set_source=RULES
    )
    trainees = [
        User(email=f"t{n}-{suffix}@bench.test", name=f"Trainee Nº {n:04d} Győri", password_hash=NO_PASSWORD)
        for n in range(count)
    ]
    db.session.add_all(trainees)
    db.session.flush()
    db.session.add_all(
        Membership(user_id=t.id, association_id=association.id, role=Role.TRAINEE.value) for t in trainees
    )
    enrolments = []
    for trainee in trainees:
        enrolment = Enrolment(
            association_id=association.id,
            programme_id=programme.id,
            trainee_id=trainee.id,
            rule_set_id=programme.current_rule_set.id,
            started_on=dt.date(2025, 1, 15),
        )
        enrolment.supervisors = [supervisor]
        enrolments.append(enrolment)
    db.session.add_all(enrolments)
    db.session.flush()
    signed = {"status": "signed", "signer_id": supervisor.id, "signed_at": utcnow(), "content_hash": "0" * 64}
    db.session.add_all(
        SessionRecord(
            association_id=association.id,
            enrolment_id=enrolment.id,
            occurred_on=day,
            author_id=enrolment.trainee_id,
            role="co-leader",
            minutes=90,
            mode="in-person",
            group_kind="ongoing",
            setting_category="primary-care",
            members=8,
            cases=2,
            **signed,
        )
        for enrolment in enrolments
        for day in (dt.date(2025, 3, 4), dt.date(2025, 9, 9))
    )
    db.session.commit()
    return admin, association.id, [e.id for e in enrolments]


def batch(count: int, processes: int) -> None:
    from app.certificates import issuing
    from app.certificates.models import Certificate
    from app.extensions import db

    for size, suffix in ((max(20, count // 10), "s"), (count, "l")):
        admin, association_id, ids = _seed(size, suffix)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        batch = issuing.issue_batch(admin, association_id, ids, processes=processes)
        db.session.commit()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        hashes = db.session.scalars(
            select(Certificate.pdf_sha256).where(Certificate.batch_id == batch.id)
        ).all()
        assert len(hashes) == size
        assert all(hashes)
        print(
            f"batch of {size:4d} with {processes} processes: {wall:5.1f} s "
            f"({wall / size * 1000:.0f} ms each), "
            f"workers' CPU {workers_cpu:5.1f} s = {workers_cpu / wall:.2f} cores busy; peak memory: parent "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, largest worker "
            f"{after.ru_maxrss / 1024:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()

    from app import create_app
    from app.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="certificate-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CERTIFICATE_KEY_DIR": str(folder / "keys"),
            "PASSWORD_HASH_PROFILE": "minimum",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        single(args.rounds)
        if args.batch:
            batch(args.batch, args.processes)


if __name__ == "__main__":
    main()
