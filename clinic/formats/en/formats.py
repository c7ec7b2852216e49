"""Django's own date formats in the house style of ``clinic.formatting`` (``FORMAT_MODULE_PATH``):
what the admin and any unfiltered value show reads like the rest of Stride, e.g. "Dec 9, 2026"
and "Dec 9, 2026, 2:00 PM", never "Dec. 9, 2026, 2 p.m.". Input formats stay Django's."""

DATE_FORMAT = "M j, Y"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "M j, Y, g:i A"
TIME_FORMAT = "g:i A"
MONTH_DAY_FORMAT = "M j"
YEAR_MONTH_FORMAT = "M Y"
