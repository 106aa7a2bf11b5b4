"""Evidence attachments: files a trainee adds to a logbook record or a reflection."""
