"""Size bounds of a course, checked by the education service before anything is stored.

One request once created a course of 9,000 units and a bank of 12,000 questions: every
list a trainer sends is bounded here, and a list over its bound is refused as a whole
(one error, before its items are checked one by one). The text lengths match the
columns in :mod:`regsafe.education.models`, so a long text is a payload error, not a
database error."""

from __future__ import annotations

# A course is at most 100 学时 (see the hours check) and a 学时 is a 45-minute lesson:
# 134 lessons at most, so 200 units leave room for short units (a quiz video, a handout)
# while a course page and its progress list stay one screen of reasonable length.
MAX_UNITS = 200

# A paper draws at most 200 questions (a long closed-book exam in 300 minutes is about
# 1.5 minutes a question); the bank may hold 2.5 times that so papers differ between
# attempts, and no more: the whole bank is loaded to draw a paper.
MAX_PAPER_QUESTIONS = 200
MAX_BANK_QUESTIONS = 500

# Choice questions: at least two options, at most eight (A–H, as printed papers go).
MIN_OPTIONS = 2
MAX_OPTIONS = 8

# Text lengths in characters (the course columns' lengths; an option is a line of text).
MAX_CODE_LENGTH = 32
MAX_TITLE_LENGTH = 120
MAX_DESCRIPTION_LENGTH = 2000
MAX_UNIT_TITLE_LENGTH = 120
MAX_STEM_LENGTH = 1000
MAX_OPTION_LENGTH = 200
