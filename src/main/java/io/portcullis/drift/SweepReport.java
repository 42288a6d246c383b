package io.portcullis.drift;

import java.time.Instant;
import java.util.List;

/**
 * One sweep's report, as {@code GET /api/drift-sweeps/{id}} answers it.
 *
 * @param state {@code running} or {@code finished}
 * @param resources null in a page of sweeps, which leaves the details out
 */
public record SweepReport(
    String id,
    String startedBy,
    Instant startedAt,
    Instant finishedAt,
    String state,
    List<ResourceSwept> resources) {

  /**
   * One resource of the sweep.
   *
   * @param holders how many holders its connector listed; null when it could not be read
   * @param unreadable why its connector could not be read (reported, not fatal); null when read
   */
  public record ResourceSwept(
      String resource,
      Instant sweptAt,
      Integer holders,
      String unreadable,
      List<Finding> findings) {}

  /**
   * A holder nothing sanctioned.
   *
   * @param action {@code reported}, {@code removed}, {@code kept-because-granted} or {@code
   *     removal-failed}
   */
  public record Finding(String person, String action, String detail) {}
}
