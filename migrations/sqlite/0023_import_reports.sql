-- The annual report a register import made from a row's "Tanggal RAT Terakhir" (and the
-- row's members, assets, volume and SHU), so undoing the batch withdraws it (SQLite).
ALTER TABLE import_batch_rows ADD COLUMN report_id INTEGER REFERENCES annual_reports (id);
