package io.portcullis.scim;

import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.TooManyException;
import io.portcullis.kernel.UnknownSubjectException;
import io.portcullis.offboarding.UnknownPersonException;
import io.portcullis.web.JsonBodies;
import io.portcullis.web.RuleStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.ldap.NamingException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The SCIM controllers' errors as SCIM errors, before the problem details of the rest of the API
 * (which would answer them otherwise: that advice covers every controller of Portcullis).
 */
@RestControllerAdvice(basePackageClasses = ScimErrorAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScimErrorAdvice {

  private static final Logger log = LoggerFactory.getLogger(ScimErrorAdvice.class);

  @ExceptionHandler(ScimException.class)
  ResponseEntity<ScimError> refused(ScimException e) {
    return answer(e.status(), e.error());
  }

  /**
   * A body Spring's ObjectMapper refuses: the rules of {@link JsonBodies} hold here as under /api.
   */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ScimError> unreadable(HttpMessageNotReadableException e) {
    String detail =
        JsonBodies.duplicateField(e)
            .map(field -> "The body gives \"" + field + "\" twice; each attribute is given once.")
            .orElse(
                e.getCause() == null ? "A JSON body is required." : "The body is not valid JSON.");
    return answer(
        HttpStatus.BAD_REQUEST,
        ScimError.of(HttpStatus.BAD_REQUEST, ScimException.INVALID_SYNTAX, detail));
  }

  /**
   * A deactivation of a name the directory does not know: the User does not exist, which RFC 7644
   * §3.12 answers 404 (a 400 would tell the identity provider its request was malformed, which it
   * was not).
   */
  @ExceptionHandler(UnknownPersonException.class)
  ResponseEntity<ScimError> unknownPerson(UnknownPersonException e) {
    return answer(HttpStatus.NOT_FOUND, ScimException.noSuchUser().error());
  }

  /** What the offboarding service refuses (a reference already used for another person, say). */
  @ExceptionHandler({
    RefusedException.class,
    NotFoundException.class,
    ConflictException.class,
    UnknownSubjectException.class,
    TooManyException.class
  })
  ResponseEntity<ScimError> offboardingRefused(RuntimeException e) {
    HttpStatus status = RuleStatus.of(e).orElseThrow();
    return answer(status, ScimError.of(status, null, e.getMessage()));
  }

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<ScimError> invalid(InvalidInputException e) {
    return answer(
        HttpStatus.BAD_REQUEST,
        ScimError.of(HttpStatus.BAD_REQUEST, ScimException.INVALID_VALUE, e.getMessage()));
  }

  @ExceptionHandler(DirectoryPeople.TooManyPeopleException.class)
  ResponseEntity<ScimError> tooMany(DirectoryPeople.TooManyPeopleException e) {
    return answer(
        HttpStatus.BAD_REQUEST,
        ScimError.of(
            HttpStatus.BAD_REQUEST,
            ScimException.TOO_MANY,
            "The directory has more than "
                + e.limit()
                + " people, too many to list; "
                + "find a person with filter=userName eq \"<name>\"."));
  }

  @ExceptionHandler(DirectoryPeople.AmbiguousPersonException.class)
  ResponseEntity<ScimError> ambiguous(DirectoryPeople.AmbiguousPersonException e) {
    log.error("SCIM: {}", e.getMessage());
    return answer(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ScimError.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            null,
            "More than one person in the directory has this login name; the directory must be mended first."));
  }

  /** The directory did not answer: worth the identity provider's retry. */
  @ExceptionHandler(NamingException.class)
  ResponseEntity<ScimError> directoryDown(NamingException e) {
    log.warn("SCIM: the directory did not answer: {}", e.getMessage());
    return answer(
        HttpStatus.SERVICE_UNAVAILABLE,
        ScimError.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            null,
            "The directory did not answer; try again later."));
  }

  /**
   * Spring MVC's own refusals (a missing parameter, a method or media type not taken) keep their
   * status and headers ({@code Allow}); anything else is ours to log.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ScimError> unexpected(Exception e) {
    if (e instanceof ErrorResponse mvc && mvc.getStatusCode().is4xxClientError()) {
      HttpStatus status = HttpStatus.valueOf(mvc.getStatusCode().value());
      return ResponseEntity.status(status)
          .headers(mvc.getHeaders())
          .contentType(Scim.MEDIA_TYPE)
          .body(
              ScimError.of(
                  status,
                  status == HttpStatus.BAD_REQUEST ? ScimException.INVALID_VALUE : null,
                  mvc.getBody().getDetail() == null
                      ? status.getReasonPhrase() + "."
                      : mvc.getBody().getDetail()));
    }
    log.error("SCIM request failed", e);
    return answer(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ScimError.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            null,
            "Something went wrong on our side; it is logged."));
  }

  private static ResponseEntity<ScimError> answer(HttpStatus status, ScimError error) {
    return ResponseEntity.status(status).contentType(Scim.MEDIA_TYPE).body(error);
  }
}
