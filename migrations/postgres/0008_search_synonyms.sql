-- The search synonym list editors keep with the catalogue: words people type (say) and the
-- catalogue's own words for them (means), both JSON arrays of strings, in the editors' order.
-- Keep in step with migrations/sqlite/0008_search_synonyms.sql (a test compares the two).
-- The list is replaced as a whole; every row carries the replacement's revision, which grows
-- with each one, so every portal process notices the change and rebuilds its search index.
CREATE TABLE search_synonyms (
    position BIGINT PRIMARY KEY NOT NULL,
    say      TEXT NOT NULL,
    means    TEXT NOT NULL,
    revision BIGINT NOT NULL
);
