"""Demo data of the vignettes feature, loaded by ``flask demo`` after people and enrolments exist."""


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
