"""The site's pages: Markdown lists and record pages from derived facts."""
