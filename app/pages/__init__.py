"""HTML pages: the annotated article page, and the API docs served from installed assets."""
