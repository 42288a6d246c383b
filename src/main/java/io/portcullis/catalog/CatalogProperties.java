package io.portcullis.catalog;

import io.portcullis.kernel.ResourceId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.validation.annotation.Validated;

/** What can be requested, as written under {@code portcullis.catalog} in the configuration. */
@Validated
@ConfigurationProperties("portcullis")
public record CatalogProperties(@Valid List<Entry> catalog, @Valid List<BundleEntry> bundles) {

  @ConstructorBinding
  public CatalogProperties {
    catalog = catalog == null ? List.of() : List.copyOf(catalog);
    bundles = bundles == null ? List.of() : List.copyOf(bundles);
  }

  /** A catalog of these resources and no bundle. */
  public CatalogProperties(List<Entry> catalog) {
    this(catalog, null);
  }

  /**
   * Resources asked for together in one request, under {@code portcullis.bundles}: one chain
   * decides them, and they are granted and end together.
   *
   * @param resources the ids of catalog entries, at least one, each once
   */
  public record BundleEntry(
      @NotBlank @Pattern(
              regexp = ResourceId.PATTERN,
              message = "must be lower-case letters, digits and dashes, at most 64")
          String id,
      String name,
      List<String> resources) {

    @ConstructorBinding
    public BundleEntry {
      resources = resources == null ? List.of() : List.copyOf(resources);
    }
  }

  /**
   * One requestable resource.
   *
   * @param maxTotalDuration the longest one grant may last with all its extensions; left out: twice
   *     {@code maxDuration}
   * @param reviewEvery how often the standing access is reviewed by itself; left out: on demand
   * @param owner the directory group that reviews the standing access
   * @param reviewWithin how long a review runs to its deadline; left out: 14 days
   * @param onUnreviewed what the deadline does with a holder nobody decided on; left out:
   *     revoke-unreviewed
   */
  public record Entry(
      @NotBlank @Pattern(
              regexp = ResourceId.PATTERN,
              message = "must be lower-case letters, digits and dashes, at most 64")
          String id,
      @NotBlank String name,
      String description,
      @NotBlank String connector,
      @NotBlank String target,
      @NotNull Duration maxDuration,
      @NotBlank @Pattern(
              regexp = Resource.ATTRIBUTE_PATTERN,
              message = "must be a lower-case word such as production")
          String environment,
      @NotBlank @Pattern(
              regexp = Resource.ATTRIBUTE_PATTERN,
              message = "must be a lower-case word such as low, medium or high")
          String risk,
      Duration maxTotalDuration,
      List<String> standing,
      OnDrift onDrift,
      Duration reviewEvery,
      String owner,
      Duration reviewWithin,
      OnUnreviewed onUnreviewed) {

    @ConstructorBinding
    public Entry {
      standing = standing == null ? List.of() : List.copyOf(standing);
      onDrift = onDrift == null ? OnDrift.REPORT : onDrift;
    }

    /** An entry that only Portcullis grants, its drift reported (the defaults). */
    public Entry(
        String id,
        String name,
        String description,
        String connector,
        String target,
        Duration maxDuration,
        String environment,
        String risk) {
      this(
          id,
          name,
          description,
          connector,
          target,
          maxDuration,
          environment,
          risk,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }
}
