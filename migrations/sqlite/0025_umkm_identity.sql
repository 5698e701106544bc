-- A UMKM without a NIB is known by its kelurahan and its name's search key (and, checked by
-- the importer, its owner): importing the same list again finds it instead of adding it
-- twice. The index replaces the kelurahan one, whose column it begins with.
DROP INDEX umkm_kelurahan;
CREATE INDEX umkm_identity ON umkm (kelurahan_code, search_key);
