package io.portcullis.notification;

import io.portcullis.support.OnPostgres;

/**
 * Every test of {@link NotificationsTest}, on PostgreSQL: the notice, its binding and its
 * deliveries.
 */
@OnPostgres
class NotificationsOnPostgresTest extends NotificationsTest {}
