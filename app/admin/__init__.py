"""The association admin's pages: members, invitations, programmes, enrolments, outbox, audit."""
