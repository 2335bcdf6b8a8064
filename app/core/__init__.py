"""The toolkit: configuration, database plumbing, errors, paging, dates, text and spans."""
