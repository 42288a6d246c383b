package io.portcullis.request;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link BreakGlassProcessTest}, on PostgreSQL: the review's table, its binding and
 * the flag's question are SQL of their own.
 */
@OnPostgres
class BreakGlassProcessOnPostgresTest extends BreakGlassProcessTest {}
