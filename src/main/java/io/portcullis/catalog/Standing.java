package io.portcullis.catalog;

import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.modulith.NamedInterface;

/**
 * Who may hold a resource standing, outside any Portcullis grant: nobody ({@link #NONE}, the
 * default: only Portcullis grants it), or named people and the members of named directory groups.
 * Live grants are sanctioned whatever this says; the drift sweep treats every other holder as
 * drift.
 *
 * <p>Written in the catalog as {@code standing: none} or a list of {@code person:<login name>} and
 * {@code group:<group id>} (the id that the directory's group of a person answers, such as {@code
 * db-owners}).
 *
 * @param people the people allowed to hold it standing
 * @param groups the directory groups whose members may hold it standing
 */
@NamedInterface("resources")
public record Standing(List<Username> people, List<String> groups) {

  /** Only Portcullis grants it. */
  public static final Standing NONE = new Standing(List.of(), List.of());

  private static final String PERSON = "person:";
  private static final String GROUP = "group:";
  private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,63}");

  public Standing {
    people = List.copyOf(people);
    groups = List.copyOf(groups);
  }

  /**
   * Reads the catalog's {@code standing} list.
   *
   * @throws IllegalArgumentException naming the entry that is neither {@code none}, a person nor a
   *     group
   */
  static Standing parse(List<String> entries) {
    if (entries == null || entries.isEmpty()) {
      return NONE;
    }
    if (entries.size() == 1 && entries.get(0).strip().equalsIgnoreCase("none")) {
      return NONE;
    }
    List<Username> people = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw == null ? "" : raw.strip();
      String lower = entry.toLowerCase(Locale.ROOT);
      if (lower.startsWith(PERSON)) {
        people.add(
            Username.valid(entry.substring(PERSON.length()))
                .orElseThrow(
                    () -> new IllegalArgumentException("'" + entry + "': " + Username.RULE)));
      } else if (lower.startsWith(GROUP)
          && GROUP_ID.matcher(entry.substring(GROUP.length())).matches()) {
        groups.add(entry.substring(GROUP.length()));
      } else {
        throw new IllegalArgumentException(
            "'" + entry + "' is not 'none' (alone), 'person:<login name>' or 'group:<group id>'");
      }
    }
    return new Standing(people, groups);
  }

  /** Whether nobody may hold it standing. */
  public boolean isNone() {
    return people.isEmpty() && groups.isEmpty();
  }

  /**
   * Whether this person may hold it standing: named here, or a member of a named group.
   *
   * @param groupsOfPerson the person's directory groups (asked only when groups are named)
   */
  public boolean allows(Username person, Supplier<List<String>> groupsOfPerson) {
    if (people.stream().anyMatch(person::sameAs)) {
      return true;
    }
    return !groups.isEmpty() && groupsOfPerson.get().stream().anyMatch(groups::contains);
  }
}
