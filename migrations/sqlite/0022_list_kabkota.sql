-- The register's list filtered by kab/kota (province and national offices choose the
-- kab/kota first): the same shape as cooperatives_kecamatan one level up.
CREATE INDEX cooperatives_kabkota ON cooperatives (kabkota_code, archived, name);
