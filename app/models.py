"""Every model, imported in one place so Alembic and ``create_all`` see the whole schema."""

from app.accounts.models import (  # noqa: F401
    Association,
    Invitation,
    LoginSession,
    Membership,
    PasswordReset,
    Role,
    User,
)
from app.api.models import *  # noqa: F401,F403
from app.applications.models import *  # noqa: F401,F403
from app.attachments.models import *  # noqa: F401,F403
from app.audit.models import AuditEvent  # noqa: F401
from app.certificates.models import *  # noqa: F401,F403
from app.certificates.seal_keys import SealKey  # noqa: F401
from app.documents.models import *  # noqa: F401,F403
from app.groups.models import *  # noqa: F401,F403
from app.imports.models import *  # noqa: F401,F403
from app.jobs.models import *  # noqa: F401,F403
from app.learning.models import *  # noqa: F401,F403
from app.logbook.models import *  # noqa: F401,F403
from app.mail.models import MailDelivery, OutboxMessage  # noqa: F401
from app.maillinks.models import MailLink  # noqa: F401
from app.notifications.models import *  # noqa: F401,F403
from app.personal_data.models import *  # noqa: F401,F403
from app.profiles.models import *  # noqa: F401,F403
from app.programmes.editor.models import RuleSetDraft  # noqa: F401
from app.programmes.models import Enrolment, Programme, RuleSet, enrolment_supervisor  # noqa: F401
from app.requirements.models import *  # noqa: F401,F403
from app.statuslevels.models import *  # noqa: F401,F403
from app.storage.models import *  # noqa: F401,F403
from app.twofactor.models import *  # noqa: F401,F403
from app.vignettes.models import *  # noqa: F401,F403
