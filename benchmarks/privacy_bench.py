"""Time the privacy detector on a realistic 2,000-character reflection.

Run from the repository root:  python benchmarks/privacy_bench.py [--runs 200]

Reports the import time of ``app.privacy``, the cold first call (which loads the
name gazetteers) and the median and 95th percentile of warm calls. The target
is well under 50 ms per 2,000 characters.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REFLECTION = """\
Reflection after the Thursday group, written the same evening.

I presented Mrs Evans again, the woman in her sixties with back pain and a file as thick as my arm.
Her son Tom rang the surgery on 07700 900461 twice last week, asking why nothing had been done,
and when I finally saw her she handed me a letter from the pain clinic dated 12/03/2019 that she
has carried around ever since. She was born in 1951 and has lived at 14 Elm Road, Leeds LS6 2QT,
for forty years. Her NHS number is 943 476 5919, which she reads out to every receptionist as if
it proved something.

The group spent a long time on my irritation. Someone asked what Michael Balint would have made of
the letter, and the leader wondered aloud whether I was the drug that had stopped working. In March
we had talked about a similar patient; in 2019 I would not have brought this case at all. Hope is
what I lost first, and I think she felt it. Grace under pressure is not the same as being well.

Then the GP registrar said something I did not expect: that she dreaded the appointments too, and
that the mother in the room was not the patient but me. We read a chapter of Fonagy and Bateman on
mentalization before the session, and it helped a little. Sertraline was increased to 100 mg in
April without much change; she takes 20 mg of citalopram as well and walks 3 times a week.

Afterwards I e-mailed the leader at leader.balint@example.org to ask whether I could bring the case
back. Dr Patel, her previous GP, had apparently given up on her, and I can feel myself doing the
same. What would it mean to stay curious? The group did not answer, which was the answer.
Next time I want to talk about the way I write her notes: brisk, defensive, already finished.
I notice that I have started to dread Thursdays, and that Sarah at reception has noticed it too.
Perhaps the group is the only place where I can say so without having to do anything about it yet.
The leader's last words were kind, and I wrote them down so as not to lose them.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="warm calls to time (default 200)")
    args = parser.parse_args()
    text = REFLECTION

    start = time.perf_counter()
    from app.privacy import scan

    import_ms = (time.perf_counter() - start) * 1000

    start = time.perf_counter()
    findings = scan(text)
    cold_ms = (time.perf_counter() - start) * 1000

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        scan(text)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()

    print(f"text: {len(text)} characters, {len(findings)} findings")
    for finding in findings:
        print(f"  {finding.line}:{finding.column} {finding.kind}: {finding.text}")
    print(f"import app.privacy: {import_ms:.1f} ms (includes the app package and phonenumbers)")
    print(f"cold first scan:    {cold_ms:.1f} ms (loads the gazetteers)")
    print(
        f"warm scan, {args.runs} runs: median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * (len(timings) - 1))]:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
