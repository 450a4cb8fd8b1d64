-- 实时公交: the bus stops a citizen keeps to check quickly. The stops are the bus company's
-- (by their GTFS stop_id); only the choice is the portal's.
-- Keep in step with migrations/postgres/0017_bus_favourites.sql (a test compares the two).
CREATE TABLE bus_favourites (
    citizen_id BIGINT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    stop_id    TEXT NOT NULL,
    added_at   BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, stop_id)
);
