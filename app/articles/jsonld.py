"""schema.org JSON-LD of an article; app.jsonld holds what every kind shares.

**Article** → `NewsArticle`: `headline`, `text`, `inLanguage`, `datePublished` (ISO 8601 at its
precision: `2018-05-14`, `2018-05` or `2018`), `identifier` (a `PropertyValue` with `propertyID`
`sha256`), `url` (where it was published), `publisher`.
"""

from __future__ import annotations

from typing import Any

from app.articles.schemas import ArticleDetail
from app.jsonld import Nodes, compact


def article_node(nodes: Nodes, article: ArticleDetail) -> dict[str, Any]:
    """The schema.org node of an article."""
    return compact(
        {
            "@type": "NewsArticle",
            "@id": nodes.url("articles", article.id),
            "headline": article.title,
            "inLanguage": article.language,
            "datePublished": article.published_on,
            "publisher": (
                {"@type": "Organization", "name": article.publisher} if article.publisher else None
            ),
            "url": article.url,
            "identifier": {
                "@type": "PropertyValue",
                "propertyID": "sha256",
                "value": article.content_sha256,
            },
            "text": article.text,
        }
    )
