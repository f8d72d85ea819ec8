"""The render stage: derived facts to text, Markdown and HTML through Jinja2 templates."""
