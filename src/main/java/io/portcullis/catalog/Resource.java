package io.portcullis.catalog;

import java.time.Duration;

/**
 * A requestable resource.
 *
 * @param id stable identifier used in requests and URLs
 * @param connector the name of the connector that grants it
 * @param target what the connector grants (for ldap-group, the group's DN)
 * @param maxDuration the longest time one request may ask for
 * @param approverGroup the group whose members decide on requests for it
 */
public record Resource(
    String id, String name, String description, String connector, String target, Duration maxDuration, String approverGroup) {

  public static final String ID_PATTERN = "[a-z0-9][a-z0-9-]{0,63}";
  public static final String GROUP_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
}
