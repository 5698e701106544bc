-- The annual report a register import made from a row's "Tanggal RAT Terakhir" (and the
-- row's members, assets, volume and SHU), so undoing the batch withdraws it (PostgreSQL).
ALTER TABLE import_batch_rows ADD COLUMN report_id BIGINT REFERENCES annual_reports (id);
