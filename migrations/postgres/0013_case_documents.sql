-- The documents the window console issues (补正告知书, 受理通知书, 不予受理通知书, 准予/不予许可
-- 决定书): the PDF exactly as issued, with what the public verification page shows.
-- Keep in step with migrations/sqlite/0013_case_documents.sql (a test compares the two).

-- `reference` is the signed reference printed in the document's QR code; `superseded_at` is set
-- when a later document of the same kind replaces it (a second 补正). The issued facts and the
-- bytes never change: only `superseded_at` may be set, once; rows are never deleted.
CREATE TABLE case_documents (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id   BIGINT NOT NULL REFERENCES applications (id),
    kind             TEXT NOT NULL CHECK (kind IN ('supplement', 'acceptance', 'non_acceptance', 'approval', 'denial')),
    reference        TEXT NOT NULL UNIQUE,
    issued_at        BIGINT NOT NULL,
    superseded_at    BIGINT,
    number           TEXT NOT NULL,
    item_name        TEXT NOT NULL,
    department_name  TEXT NOT NULL,
    applicant_masked TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    pdf              BYTEA NOT NULL
);
CREATE INDEX case_documents_of ON case_documents (application_id, kind);
CREATE FUNCTION case_documents_as_issued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR OLD.superseded_at IS NOT NULL
        OR (NEW.id, NEW.application_id, NEW.kind, NEW.reference, NEW.issued_at, NEW.number, NEW.item_name,
            NEW.department_name, NEW.applicant_masked, NEW.sha256, NEW.pdf)
        IS DISTINCT FROM (OLD.id, OLD.application_id, OLD.kind, OLD.reference, OLD.issued_at, OLD.number,
            OLD.item_name, OLD.department_name, OLD.applicant_masked, OLD.sha256, OLD.pdf) THEN
        RAISE EXCEPTION 'case_documents stay as issued';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER case_documents_as_issued BEFORE UPDATE OR DELETE ON case_documents
    FOR EACH ROW EXECUTE FUNCTION case_documents_as_issued();
CREATE TRIGGER case_documents_no_truncate BEFORE TRUNCATE ON case_documents
    FOR EACH STATEMENT EXECUTE FUNCTION case_documents_as_issued();
