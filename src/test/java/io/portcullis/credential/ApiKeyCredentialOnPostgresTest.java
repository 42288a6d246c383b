package io.portcullis.credential;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link ApiKeyCredentialTest}, on PostgreSQL: the credential tables' SQL is
 * PostgreSQL's too.
 */
@OnPostgres
class ApiKeyCredentialOnPostgresTest extends ApiKeyCredentialTest {}
