-- Gas accounts (燃气户号) a citizen has bound to their portal account. The account itself is the
-- gas company's; the portal keeps only which citizen may see which account number.
-- Keep in step with migrations/postgres/0016_gas_bindings.sql (a test compares the two).
CREATE TABLE gas_bindings (
    id         INTEGER PRIMARY KEY NOT NULL,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    account_no TEXT NOT NULL,
    bound_at   BIGINT NOT NULL,
    UNIQUE (citizen_id, account_no)
);
