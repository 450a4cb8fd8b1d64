-- The library card (读者证) a citizen has bound to their portal account: one per citizen. The
-- card, its PIN, loans and holds are the library's; the portal keeps only the card number.
-- Keep in step with migrations/sqlite/0018_library_cards.sql (a test compares the two).
CREATE TABLE library_cards (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id BIGINT NOT NULL UNIQUE REFERENCES citizens (id) ON DELETE CASCADE,
    card_no    TEXT NOT NULL,
    bound_at   BIGINT NOT NULL
);
