package io.portcullis.connector;

/**
 * Published, in the caller's thread, when a connector has disabled a person's account, so that what
 * still lets them in elsewhere in Portcullis (a remembered login) is dropped before the disable returns.
 */
public record AccountDisabled(String connector, String username) {}
