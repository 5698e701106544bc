-- SQLite's instr(haystack, needle) for PostgreSQL, so the register's name search is one SQL
-- text on both engines. A one-line SQL function: the planner inlines it as strpos.
CREATE OR REPLACE FUNCTION instr(haystack text, needle text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT strpos(haystack, needle)';
