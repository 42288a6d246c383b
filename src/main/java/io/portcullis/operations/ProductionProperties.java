package io.portcullis.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the prod profile may be told to accept, under {@code portcullis.production}.
 *
 * @param allowPlainTransport a lab's switch, false by default: the prod profile then starts on an
 *     {@code http://} public URL, an {@code ldap://} directory and a database URL without TLS, each
 *     of which sends passwords in clear over the network and is refused otherwise. Start-up logs a
 *     warning naming each plain transport in use, so a lab's setting copied to production shows in
 *     the first lines of its log
 */
@ConfigurationProperties("portcullis.production")
record ProductionProperties(boolean allowPlainTransport) {

  static final String ALLOW_PLAIN_TRANSPORT = "portcullis.production.allow-plain-transport";
}
