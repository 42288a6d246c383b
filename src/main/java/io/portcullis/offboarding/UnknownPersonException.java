package io.portcullis.offboarding;

import io.portcullis.kernel.UnknownSubjectException;
import io.portcullis.kernel.Username;
import org.springframework.modulith.NamedInterface;

/**
 * An offboarding asked for a name the directory does not know: nobody is offboarded, so the person
 * the caller meant (a typo, a name mapped wrongly in the identity provider) would keep everything.
 * Refused before anything is stored, and audited; the HR API answers {@code 422}, SCIM {@code 404}.
 */
@NamedInterface("asks")
public class UnknownPersonException extends UnknownSubjectException {

  private final Username username;

  UnknownPersonException(Username username) {
    super(
        "The directory has no person named "
            + username
            + ", so nobody was offboarded: "
            + "check the name (the person's login name in the directory) and ask again.");
    this.username = username;
  }

  public Username username() {
    return username;
  }
}
