from portal.formats.zh_Hans.formats import *  # noqa: F403  (the same style in traditional)
