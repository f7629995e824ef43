"""One date style per language (FORMAT_MODULE_PATH): 2019年3月1日 in Chinese, 2019-03-01 in
English. Templates write `|date` (DATE_FORMAT) or `|date:"DATETIME_FORMAT"`, never a pattern
of their own; machine-readable `datetime` attributes keep ISO 8601."""
