package io.portcullis.scim;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A User resource (RFC 7643 §4.1) as this door shows a person: {@code id} and {@code userName} are
 * both the directory's login name, so an identity provider that matched a person by {@code
 * userName} can address them by it. Only what the directory has is shown; nothing here is stored by
 * Portcullis.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ScimUser(
    List<String> schemas,
    String id,
    String userName,
    Name name,
    String displayName,
    List<Email> emails,
    boolean active,
    Meta meta) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Name(String givenName, String familyName) {}

  /**
   * The first of a person's addresses is their primary one; the directory says nothing of its type.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Email(String value, Boolean primary) {}

  record Meta(String resourceType, String location) {}

  static ScimUser of(Person person, boolean active, String location) {
    Name name =
        person.givenName() == null && person.familyName() == null
            ? null
            : new Name(person.givenName(), person.familyName());
    List<Email> emails =
        person.emails().isEmpty()
            ? null
            : IntStream.range(0, person.emails().size())
                .mapToObj(i -> new Email(person.emails().get(i), i == 0 ? Boolean.TRUE : null))
                .toList();
    return new ScimUser(
        List.of(Scim.USER_SCHEMA),
        person.username().value(),
        person.username().value(),
        name,
        person.displayName(),
        emails,
        active,
        new Meta("User", location));
  }
}
