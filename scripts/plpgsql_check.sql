-- Every error plpgsql_check finds in the PL/pgSQL functions of schemas api and
-- internal, one line each;
-- no output means none. Warnings about performance are not errors and are left out.
SELECT format('%s: line %s: %s', cf.functionid, cf.lineno, cf.message)
FROM pg_proc AS p
INNER JOIN pg_namespace AS n ON p.pronamespace = n.oid
INNER JOIN pg_language AS l ON p.prolang = l.oid
CROSS JOIN LATERAL plpgsql_check_function_tb(p.oid, fatal_errors => FALSE) AS cf
WHERE n.nspname IN ('api', 'internal') AND l.lanname = 'plpgsql' AND cf.level = 'error';
