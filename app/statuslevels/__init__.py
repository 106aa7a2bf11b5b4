"""Status levels: declared per association, held by people with dates, asked for by permissions and rules."""
