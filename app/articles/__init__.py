"""Articles: Markdown files with front matter in app/articles/content/, loaded into the database."""
