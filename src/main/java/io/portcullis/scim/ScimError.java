package io.portcullis.scim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error as RFC 7644 §3.12 writes it: the status as a string, {@code scimType} only for the 400s
 * and 409s that the RFC names one for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScimError(List<String> schemas, String status, String scimType, String detail) {

  static ScimError of(HttpStatus status, String scimType, String detail) {
    return new ScimError(List.of(Scim.ERROR), String.valueOf(status.value()), scimType, detail);
  }
}
