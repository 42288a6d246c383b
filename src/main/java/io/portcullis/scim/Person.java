package io.portcullis.scim;

import io.portcullis.kernel.Username;
import java.util.List;

/**
 * A person as the directory has them: what a SCIM User is made of.
 *
 * @param username the directory's own login name for them (its value of the user id attribute)
 * @param emails their {@code mail} values, perhaps none
 */
record Person(
    Username username,
    String givenName,
    String familyName,
    String displayName,
    List<String> emails) {}
