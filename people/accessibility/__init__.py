"""The accessibility statement (tillgänglighetsredogörelse) and reports of accessibility
barriers, as the law on accessibility of digital public services (2018:1937) and DIGG's
model statement ask: a public page that says how accessible the service is, what is known not
to be, and a way to report a barrier that reaches someone who can act on it.

The app's anatomy in small: `forms` (the report form), `services` (storing and sending a
report, and its outbox email), `selectors` (who receives reports, the admin's list) and
`views` (the public statement and the admin's list)."""
