"""Mentoring's pages, split by sub-domain: mentorships (mentorship.py) and supervised cases
(cases.py); mentoring/urls.py wires both."""
