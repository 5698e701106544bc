-- The board (pengurus/pengawas) of a cooperative: personal data, optional (SQLite).
ALTER TABLE cooperatives ADD COLUMN chair_name TEXT;
ALTER TABLE cooperatives ADD COLUMN chair_phone TEXT;
ALTER TABLE cooperatives ADD COLUMN secretary_name TEXT;
ALTER TABLE cooperatives ADD COLUMN treasurer_name TEXT;
ALTER TABLE cooperatives ADD COLUMN supervisor_name TEXT;
ALTER TABLE cooperatives ADD COLUMN manager_name TEXT;
