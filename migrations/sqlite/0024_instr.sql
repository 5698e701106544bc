-- SQLite has instr(haystack, needle) built in; PostgreSQL gets the same function in its
-- 0024 migration, so the register's name search is one SQL text on both engines.
SELECT 1;
