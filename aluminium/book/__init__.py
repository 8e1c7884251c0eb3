"""The book machinery: building the site, the pages a chapter and the reference section show, charts and the Sphinx extensions."""
