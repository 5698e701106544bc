-- Counting the register without reading it: covering indexes for the activation figure
-- (stored statuses by kecamatan, supervised or all) and the dashboard's counts by jenis and
-- by kab/kota or province.
CREATE INDEX cooperatives_activation ON cooperatives (archived, supervised, kecamatan_code, status);
CREATE INDEX cooperatives_archived_jenis ON cooperatives (archived, jenis);
CREATE INDEX cooperatives_archived_kabkota ON cooperatives (archived, kabkota_code);
