-- Reports proposed by a cooperative's pengurus wait for the office's verification (PostgreSQL).
ALTER TABLE annual_reports ADD COLUMN review_status TEXT NOT NULL DEFAULT 'verified';
ALTER TABLE annual_reports ADD COLUMN review_note TEXT;
ALTER TABLE annual_reports ADD COLUMN reviewed_by TEXT;
CREATE INDEX annual_reports_review ON annual_reports (review_status, cooperative_id);
