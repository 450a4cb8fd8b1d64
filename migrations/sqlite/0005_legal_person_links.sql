-- Legal-person users: a citizen who is the legal representative of an entity in the legal-entity
-- register may act for it. Keep in step with migrations/postgres/0005_legal_person_links.sql.
CREATE TABLE citizen_entities (
    citizen_id  BIGINT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    credit_code TEXT NOT NULL,
    entity_name TEXT NOT NULL,
    linked_at   BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, credit_code)
);
