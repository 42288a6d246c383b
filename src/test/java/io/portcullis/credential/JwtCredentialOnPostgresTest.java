package io.portcullis.credential;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link JwtCredentialTest}, on PostgreSQL: the credential tables' SQL is
 * PostgreSQL's too.
 */
@OnPostgres
class JwtCredentialOnPostgresTest extends JwtCredentialTest {}
