"""The closed vocabularies of profile facts, shared by the models, the forms and rule sets.

A closed list, not free text: a rule set naming a qualification (``since: {qualification:
gp-specialist}``) is checked against it, so a typo is an error, not a rule never met.
"""

from __future__ import annotations

#: Qualification kind -> the words people read.
QUALIFICATION_KINDS: dict[str, str] = {
    "medical-degree": "Medical degree",
    "gp-specialist": "Specialist in general practice",
    "psychiatry-specialist": "Specialist in psychiatry",
    "psychotherapist-licence": "Licence as a psychotherapist",
    "psychology-degree": "Degree in psychology",
    "other-professional": "Other professional qualification",
}

#: Assessed event kind -> words.
EXAM_KINDS: dict[str, str] = {
    "exam": "Examination",
    "assessed-intensive": "Assessed intensive",
    "assessed-group": "Assessed group session",
}

#: Outcome -> words; the first of each pair passes.
EXAM_OUTCOMES: dict[str, str] = {
    "passed": "Passed",
    "not-passed": "Not passed",
    "satisfactory": "Satisfactory",
    "not-yet": "Not yet satisfactory",
}
