-- The list of a kecamatan with a name search reads the kecamatan's index entries only: the
-- index also holds the name's search key, so the test needs no row of the table until one
-- matches (before, each of the kecamatan's rows was fetched to test its name). `id` after
-- `name` keeps the list's order (name, then id) the index's own, so no sort is needed and,
-- without statistics, SQLite still prefers this index to the one by name alone.
DROP INDEX cooperatives_kecamatan;
CREATE INDEX cooperatives_kecamatan ON cooperatives (kecamatan_code, archived, name, id, search_key);
