"""Users, associations, memberships, invitations and signing in."""
