"""Tests for the privacy detector: each kind, positions, and the labelled evaluation set.

Plain pytest, no app fixtures: the detector is pure Python.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.privacy import KIND_LABELS, Finding, scan

LABELLED = yaml.safe_load((Path(__file__).with_name("labelled_texts.yaml")).read_text(encoding="utf-8"))
KINDS = {"person-name", "date", "phone", "email", "address", "postcode", "id-number"}


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in scan(text)]


# --- each kind: what it must find, and what it must leave alone ----------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mrs Jones said she could not face it.", "Mrs Jones"),
        ("Her son Tom refuses school.", "Tom"),
        ("John Smith came in again.", "John Smith"),
        ("I saw Dr. J. Patel about it.", "Dr. J. Patel"),
        ("The patient, Aisha, had not slept.", "Aisha"),
        ("A boy named Oluwaseun was brought in.", "Oluwaseun"),
        ("A little girl called Poppy came with her father.", "Poppy"),
        ("Grace Okafor brought her husband.", "Grace Okafor"),
        ("I keep thinking about Hope, my patient of nine years.", "Hope"),
        ("Young Jamie found his father.", "Jamie"),
        ("Sarah's mother rang again.", "Sarah"),
        ("Her daughter Zsófia translated.", "Zsófia"),
        ("I wrote to Mrs O'Sullivan-Price.", "Mrs O'Sullivan-Price"),
    ],
)
def test_person_names_found(text: str, name: str) -> None:
    assert ("person-name", name) in found(text)


def test_a_name_found_once_is_found_again_alone() -> None:
    assert found("Mrs Jones came. Jones said little.") == [
        ("person-name", "Mrs Jones"),
        ("person-name", "Jones"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The mother kept interrupting, and I stopped listening to the child.",
        "A nine-year-old boy was brought in by the GP and my consultant.",
        "Then the GP said something. Mother and daughter arrived. Doctor, she said, listen.",
        "Michael Balint wrote about the doctor as a drug; Enid Balint's flash stayed with me.",
        "Michael and Enid Balint led the seminars. Later Michael wrote the book.",
        "We read Fonagy, Bateman, Luyten, Allison and colleagues; Bion, Klein and Freud too.",
        "Winnicott, the Tavistock, Maslach and Carl Rogers came up, as did MBT.",
        "Hope is what I lost first. Grace under pressure. Will she trust a doctor again?",
        "May I say it? Patience ran out. Faith in the system had gone. Mark my words.",
        "She takes sertraline 100 mg; Olanzapine 10 mg at night; a drug named Prozac.",
        "Mrs A. returned after the summer; Mr B said little.",
        "The Anna Freud Centre and the Queen Elizabeth Hospital run courses.",
        "She has Addison's disease and Graves' disease; the Hamilton score was 22.",
        "They went on holiday in Florence; she works at St Mary's.",
        "I don't know why I'd feel that, but I've been here before.",
        "She called Social Services and then called NHS 111.",
    ],
)
def test_no_person_name(text: str) -> None:
    assert [kind for kind, _ in found(text) if kind == "person-name"] == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("She was born on 14/02/1987.", "14/02/1987"),
        ("Her date of birth is 3 March 1979.", "3 March 1979"),
        ("It happened on 2021-03-12.", "2021-03-12"),
        ("He was born in 1984 in Leeds.", "1984"),
        ("On the 5th of November she took an overdose.", "5th of November"),
        ("Her last smear was 07.09.2018.", "07.09.2018"),
        ("DOB 22/11/64.", "22/11/64"),
        ("His father died on June 3rd, 2015.", "June 3rd, 2015"),
        ("Seen on 30 Sept 2022.", "30 Sept 2022"),
        ("I saw her on 12 March.", "12 March"),
        ("Date of birth: 3rd Feb 1991.", "3rd Feb 1991"),
    ],
)
def test_dates_found(text: str, date: str) -> None:
    assert ("date", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "In March the group met fortnightly; since January she came every Tuesday.",
        "Last spring, in 2019, I joined my first group; it was my 3rd Balint weekend.",
        "The PHQ-9 score was 19/27 and blood pressure 150/95.",
        "She takes 20 mg twice a day; we meet 3 times a week for 90 minutes.",
        "The appointment ran from 08:30 to 09:15, reviewed at 2/52.",
        "In March 12 patients were seen; the 1990s were different.",
    ],
)
def test_no_date(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900461",
        "+44 20 7946 0958",
        "+36 30 123 4567",
        "0161 496 0123",
        "+1 (617) 555-0142",
        "(0113) 496 0789",
        "07700-900-312",
        "+44 (0)161 496 0555",
        "07912 345678",
    ],
)
def test_phones_found(phone: str) -> None:
    assert found(f"Please ring {phone} after six.") == [("phone", phone)]


@pytest.mark.parametrize(
    "text",
    [
        "MRN 55 and bleep 2231, ext. 4521.",
        "She had called NHS 111 three times and 999 once.",
        "Her BMI was 41 and she walks 10,000 steps a day.",
    ],
)
def test_no_phone(text: str) -> None:
    assert [kind for kind, _ in found(text) if kind == "phone"] == []


@pytest.mark.parametrize(
    "email",
    ["sarah.whitfield84@example.com", "j.k.ellis@nhs.example.net", "J.Murphy1972@Example.com"],
)
def test_emails_found(email: str) -> None:
    assert found(f"She wrote from {email}.") == [("email", email)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("She has moved to 14 Elm Road, so update it.", "14 Elm Road"),
        ("He lives at Flat 3, 27 Victoria Street now.", "Flat 3, 27 Victoria Street"),
        ("The visit to 3a Station Road took an hour.", "3a Station Road"),
        ("She lives at Kossuth Lajos utca 12 in Budapest.", "Kossuth Lajos utca 12"),
        ("Write to PO Box 123 instead.", "PO Box 123"),
    ],
)
def test_addresses_found(text: str, address: str) -> None:
    assert ("address", address) in found(text)


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("Her postcode is SW1A 1AA.", "SW1A 1AA"),
        ("They live in M14 5RT now.", "M14 5RT"),
        ("A family in Boston, MA 02115, wrote.", "02115"),
        ("She lives at Kossuth Lajos utca 12, H-1053 Budapest.", "H-1053"),
        ("Her flat is at Fő utca 3, 1011 Budapest.", "1011"),
    ],
)
def test_postcodes_found(text: str, postcode: str) -> None:
    assert ("postcode", postcode) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our group meets in Room 4 on the second floor; Ward 7B has a new manager.",
        "It was 2019 Budapest all over again; two FY2 doctors and an ST3 registrar came.",
        "The Balint Society weekend in Oxford had 40 members.",
    ],
)
def test_no_address_or_postcode(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Her NHS number is 943 476 5919.", "943 476 5919"),
        ("The letter quoted 4505577104 as her number.", "4505577104"),
        ("MRN 4829103 was on the letter.", "4829103"),
        ("The hospital number: A123456 is the baby's.", "A123456"),
        ("I looked up case no. 2021/445 first.", "2021/445"),
        ("His social security number, 123-45-6789, was there.", "123-45-6789"),
        ("Patient ID: RX-55123 was on every page.", "RX-55123"),
        ("The referral, ref 2023-SG-0415, went nowhere.", "2023-SG-0415"),
    ],
)
def test_id_numbers_found(text: str, number: str) -> None:
    assert ("id-number", number) in found(text)


def test_nhs_number_needs_a_valid_check_digit() -> None:
    assert found("The number 943 476 5918 was written down.") == []


@pytest.mark.parametrize("ssn", ["000-12-3456", "666-12-3456", "987-65-4321", "123-00-4567"])
def test_impossible_social_security_numbers_are_ignored(ssn: str) -> None:
    assert found(f"The form said {ssn}.") == []


# --- positions and shape of the result -------------------------------------------


def test_offsets_lines_and_columns() -> None:
    text = "First line is clean.\nSecond: Mrs Jones rang\n  from 07700 900461 on 3 March 2021."
    findings = scan(text)
    assert [(f.kind, f.text, f.line, f.column) for f in findings] == [
        ("person-name", "Mrs Jones", 2, 9),
        ("phone", "07700 900461", 3, 8),
        ("date", "3 March 2021", 3, 24),
    ]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
        line_start = text.rfind("\n", 0, finding.start) + 1
        assert finding.column == finding.start - line_start + 1


def test_results_are_sorted_and_never_overlap() -> None:
    text = "\n".join(item["text"] for item in LABELLED)
    findings = scan(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))


def test_findings_are_frozen_and_kinds_are_labelled() -> None:
    finding = scan("Mrs Jones")[0]
    assert isinstance(finding, Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "date"  # type: ignore[misc]
    assert set(KIND_LABELS) == KINDS


def test_empty_text() -> None:
    assert scan("") == []


# --- evaluation over the labelled set ---------------------------------------------


def evaluate(items: list[dict]) -> dict[str, object]:
    """Text-level precision and recall, and per-kind recall, over labelled texts."""
    outcome: Counter[str] = Counter()
    kind_total: Counter[str] = Counter()
    kind_hit: Counter[str] = Counter()
    misses, false_alarms = [], []
    for item in items:
        expected = set(item["kinds"])
        findings = scan(item["text"])
        got = {finding.kind for finding in findings}
        if expected and findings:
            outcome["tp"] += 1
        elif expected:
            outcome["fn"] += 1
            misses.append(item["text"])
        elif findings:
            outcome["fp"] += 1
            false_alarms.append(f"{item['text']} -> {[f.text for f in findings]}")
        for kind in expected:
            kind_total[kind] += 1
            kind_hit[kind] += kind in got
    tp, fp, fn = outcome["tp"], outcome["fp"], outcome["fn"]
    return {
        "texts": len(items),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "per_kind_recall": {kind: kind_hit[kind] / kind_total[kind] for kind in sorted(kind_total)},
        "misses": misses,
        "false_alarms": false_alarms,
    }


def format_report(report: dict[str, object]) -> str:
    per_kind = ", ".join(f"{kind} {value:.2f}" for kind, value in report["per_kind_recall"].items())
    lines = [
        f"privacy detector on {report['texts']} labelled texts: "
        f"precision {report['precision']:.3f}, recall {report['recall']:.3f}",
        f"per-kind recall: {per_kind}",
        *(f"  missed: {text}" for text in report["misses"]),
        *(f"  false alarm: {text}" for text in report["false_alarms"]),
    ]
    return "\n".join(lines)


def test_labelled_set_is_well_formed() -> None:
    assert len(LABELLED) >= 100
    assert all(set(item["kinds"]) <= KINDS for item in LABELLED)
    identifying = sum(bool(item["kinds"]) for item in LABELLED)
    assert 0.4 <= identifying / len(LABELLED) <= 0.6
    per_kind = Counter(kind for item in LABELLED for kind in item["kinds"])
    assert set(per_kind) == KINDS
    assert min(per_kind.values()) >= 4


def test_precision_and_recall_on_labelled_set(measurements: list[str]) -> None:
    report = evaluate(LABELLED)
    summary = format_report(report)
    measurements.append(summary)  # printed in the run's summary, pass or fail
    assert report["precision"] >= 0.9, summary
    assert report["recall"] >= 0.9, summary
