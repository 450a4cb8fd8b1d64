-- The documents the window console issues (补正告知书, 受理通知书, 不予受理通知书, 准予/不予许可
-- 决定书): the PDF exactly as issued, with what the public verification page shows.
-- Keep in step with migrations/postgres/0013_case_documents.sql (a test compares the two).

-- `reference` is the signed reference printed in the document's QR code; `superseded_at` is set
-- when a later document of the same kind replaces it (a second 补正). The issued facts and the
-- bytes never change: only `superseded_at` may be set, once; rows are never deleted.
CREATE TABLE case_documents (
    id               INTEGER PRIMARY KEY NOT NULL,
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
    pdf              BLOB NOT NULL
);
CREATE INDEX case_documents_of ON case_documents (application_id, kind);
CREATE TRIGGER case_documents_as_issued BEFORE UPDATE ON case_documents
WHEN OLD.superseded_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.application_id IS NOT OLD.application_id
    OR NEW.kind IS NOT OLD.kind OR NEW.reference IS NOT OLD.reference OR NEW.issued_at IS NOT OLD.issued_at
    OR NEW.number IS NOT OLD.number OR NEW.item_name IS NOT OLD.item_name
    OR NEW.department_name IS NOT OLD.department_name OR NEW.applicant_masked IS NOT OLD.applicant_masked
    OR NEW.sha256 IS NOT OLD.sha256 OR NEW.pdf IS NOT OLD.pdf
BEGIN
    SELECT RAISE(ABORT, 'case_documents stay as issued');
END;
CREATE TRIGGER case_documents_no_delete BEFORE DELETE ON case_documents
BEGIN
    SELECT RAISE(ABORT, 'case_documents stay as issued');
END;
