package io.portcullis.catalog;

/** A catalog entry that Portcullis cannot offer; the message names the entry and what is wrong. */
public class InvalidCatalogException extends IllegalStateException {

  public InvalidCatalogException(String message) {
    super(message);
  }

  public InvalidCatalogException(String message, Throwable cause) {
    super(message, cause);
  }
}
