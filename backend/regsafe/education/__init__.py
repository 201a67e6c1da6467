"""Continuing education: courses, verified progress, exams, recognised hours (学时)."""
