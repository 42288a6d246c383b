package io.portcullis.connector;

/** A call to a target system failed; the step that made it is retried, then becomes an incident. */
public class ConnectorException extends RuntimeException {

  public ConnectorException(String message) {
    super(message);
  }

  public ConnectorException(String message, Throwable cause) {
    super(message, cause);
  }
}
