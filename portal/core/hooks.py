"""Names of the Wagtail hooks through which an app adds a block to a page of an app that it
may not import (docs/decisions/0009, 0016). Here, on the ground floor, both sides can name
them."""

#: Called with the request; returns HTML (or "") shown on the home page below the news.
HOME_PAGE_SECTIONS = "home_page_sections"
