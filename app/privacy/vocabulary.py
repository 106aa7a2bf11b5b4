"""Closed sets of English words that the name rules look for around a capitalised word.

Kept apart from ``names.py`` so the rules read as rules. Unlike the lists in
``data/`` these are grammar, not gazetteers: they do not grow with new names.
"""

TITLES = frozenset({
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Doctor", "Nurse", "Sister",
    "Rev", "Revd", "Reverend", "Sir", "Dame",
})  # fmt: skip

# Lower-case nouns after which a capitalised word is a person's name: "her son Tom".
KIN_CUES = frozenset({
    "son", "daughter", "husband", "wife", "partner", "boyfriend", "girlfriend", "fiance", "fiancé",
    "fiancee", "fiancée", "mother", "father", "mum", "mom", "dad", "mummy", "daddy", "stepmother",
    "stepfather", "stepson", "stepdaughter", "brother", "sister", "stepbrother", "stepsister", "twin",
    "grandson", "granddaughter", "grandmother", "grandfather", "grandma", "grandpa", "grandad",
    "granny", "nan", "aunt", "auntie", "uncle", "niece", "nephew", "cousin", "child", "baby",
    "toddler", "boy", "girl", "man", "woman", "teenager", "carer", "friend", "neighbour", "neighbor",
    "colleague", "patient", "client",
})  # fmt: skip

# One or two lower-case words before a name: "a boy named Oluwaseun", "known as Kit".
# "called" is handled apart, because it also means "phoned" ("she called Social Services").
NAMING_CUES = frozenset({
    ("named",), ("nicknamed",), ("known", "as"), ("goes", "by"), ("name", "is"), ("name", "was"),
})  # fmt: skip

CALENDAR_WORDS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
})  # fmt: skip

# A capitalised run ending in one of these names an organisation or a place:
# "Queen Elizabeth Hospital", "Mary Seacole House", "Hope Street".
ORGANISATION_WORDS = frozenset({
    "Hospital", "Hospitals", "Clinic", "Centre", "Center", "Ward", "Unit", "Practice", "Surgery",
    "House", "Home", "Hospice", "School", "College", "University", "Academy", "Trust", "Foundation",
    "Society", "Institute", "Service", "Services", "Team", "Group", "Street", "Road", "Lane",
    "Avenue", "Park", "Gardens", "Garden", "Court", "Close", "Way", "Square", "Building", "Wing",
    "Library", "Church", "Chapel", "Hall", "Station", "Bridge", "Theatre", "Award", "Prize",
    "Lecture", "Fund",
})  # fmt: skip

# A name directly before one of these is a condition or an instrument:
# "Addison's disease", "Turner syndrome", "Bell's palsy", "Hamilton scale".
EPONYM_NOUNS = frozenset({
    "disease", "syndrome", "palsy", "sign", "test", "scale", "score", "criteria", "inventory",
    "questionnaire", "method", "model", "theory", "effect", "phenomenon", "law", "principle",
    "technique", "approach",
})  # fmt: skip

# After these an everyday word stays an everyday word: "her Christian faith".
DETERMINERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "our", "my", "your",
    "its", "every", "no", "some", "any",
})  # fmt: skip

# After these a lone first name is usually a place: "in Florence", "at Chelsea".
LOCATIVES = frozenset({"in", "at", "near", "outside", "around", "across", "via"})
