package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.CatalogProperties;
import io.portcullis.catalog.DurationLimits;
import io.portcullis.connector.Connectors;
import io.portcullis.support.PortcullisTest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.form.CamundaFormRef;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Tasklist start form of jit-access: it is the form of {@code forms/} that the start event
 * names, it resolves in the engine, and its choices are the catalog's resources, redeployed only
 * when they change.
 */
@PortcullisTest
class RequestAccessFormTests {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired RepositoryService repository;
  @Autowired FormService forms;
  @Autowired Catalog catalog;
  @Autowired Connectors connectors;
  @Autowired DurationLimits limits;
  @Autowired RequestSettings settings;
  @Autowired RequestAccessForm startForm;
  private final List<String> deployedHere = new ArrayList<>();

  @AfterEach
  void removeWhatTheTestDeployed() {
    deployedHere.forEach(id -> repository.deleteDeployment(id, true));
    deployedHere.clear();
  }

  @Test
  void theStartEventNamesTheRequestAccessFormOfTheFormsFolderBoundToItsLatestVersion()
      throws IOException {
    ProcessDefinition process = latestJitAccess();
    StartEvent start =
        repository
            .getBpmnModelInstance(process.getId())
            .getModelElementById("startEvent_accessRequested");
    assertThat(start.getCamundaFormRef()).isEqualTo(RequestAccessForm.ID);
    // latest, not deployment: the form with the catalog in it is deployed apart from the process
    // (RequestAccessForm)
    assertThat(start.getCamundaFormRefBinding()).isEqualTo("latest");
    assertThat(formIdsInTheFormsFolder()).contains(start.getCamundaFormRef());

    CamundaFormRef ref = forms.getStartFormData(process.getId()).getCamundaFormRef();
    assertThat(ref.getKey()).isEqualTo(RequestAccessForm.ID);
    assertThat(ref.getBinding()).isEqualTo("latest");
  }

  @Test
  void theFormTasklistShowsOffersExactlyTheCatalogsResources() {
    JsonNode form = shownForm();
    assertThat(form.get("id").asText()).isEqualTo(RequestAccessForm.ID);
    JsonNode choices = field(form, "resource").get("values");
    assertThat(choices.findValuesAsText("value"))
        .containsExactlyElementsOf(catalog.all().stream().map(r -> r.id().value()).toList());
    assertThat(choices.findValuesAsText("label"))
        .contains("Staging database, administrator (staging-db-admin, up to PT8H)");
    assertThat(field(form, "duration").path("validate").path("required").asBoolean()).isTrue();
    assertThat(field(form, "justification").path("validate").path("required").asBoolean()).isTrue();
    assertThat(field(form, "justification").path("validate").path("maxLength").asInt())
        .isEqualTo(settings.justificationMaxLength());
    assertThat(field(form, "ticket").path("validate").path("required").asBoolean())
        .as("the ticket is optional")
        .isFalse();
    assertThat(field(form, "startAt").path("validate").path("required").asBoolean())
        .as("the start is optional: empty is on approval")
        .isFalse();
    assertThat(field(form, "startAt").get("description").asText())
        .contains("at most P30D ahead", "2026-12-06T23:00:00Z");
    // the form asks for the start variables the process takes, and for nothing else (an extension
    // too, naming the grant it extends); several resources or a bundle are asked through POST
    // /api/access-requests (or /engine-rest)
    List<String> keys =
        StreamSupport.stream(form.get("components").spliterator(), false)
            .filter(c -> c.has("key"))
            .map(c -> c.get("key").asText())
            .toList();
    assertThat(keys)
        .containsExactlyInAnyOrderElementsOf(
            RequestLifecycle.START_VARIABLES.stream()
                .filter(
                    name -> !Set.of(AccessProcess.RESOURCES, AccessProcess.BUNDLE).contains(name))
                .toList());
  }

  @Test
  void anUnchangedCatalogDeploysNothing() {
    long before = formDeployments();
    assertThat(startForm.deployIfChanged()).isEmpty();
    assertThat(formDeployments()).isEqualTo(before).isPositive();
  }

  @Test
  void theTemplateRedeployedByTheStarterIsReplacedAgainAtTheNextStart() throws IOException {
    // what the Camunda starter does when anything in processes/ or forms/ changed: the template,
    // with no choices
    try (InputStream template =
        getClass().getClassLoader().getResourceAsStream(RequestAccessForm.TEMPLATE)) {
      deployedHere.add(
          repository
              .createDeployment()
              .name("SpringAutoDeployment")
              .addInputStream(RequestAccessForm.TEMPLATE, template)
              .deploy()
              .getId());
    }
    assertThat(field(shownForm(), "resource").get("values")).isEmpty();

    Optional<Deployment> again = startForm.deployIfChanged();
    assertThat(again).isPresent();
    deployedHere.add(again.get().getId());
    assertThat(field(shownForm(), "resource").get("values").findValuesAsText("value"))
        .contains("staging-db-admin", "prod-db-readonly");
  }

  @Test
  void aChangedCatalogDeploysAFormWithTheNewChoices() {
    CatalogProperties.Entry wiki =
        new CatalogProperties.Entry(
            "wiki-admin",
            "Wiki, administrator",
            null,
            "ldap-group",
            "cn=wiki-admin,ou=groups,dc=portcullis,dc=demo",
            Duration.ofHours(2),
            "staging",
            "low");
    Catalog changed = new Catalog(new CatalogProperties(List.of(wiki)), connectors, limits);
    RequestAccessForm onTheChangedNode =
        new RequestAccessForm(changed, settings, new ScheduledStarts(settings), repository, forms);

    Optional<Deployment> deployed = onTheChangedNode.deployIfChanged();
    assertThat(deployed).isPresent();
    deployedHere.add(deployed.get().getId());
    assertThat(deployed.get().getName()).isEqualTo(RequestAccessForm.DEPLOYMENT_NAME);
    JsonNode choices = field(shownForm(), "resource").get("values");
    assertThat(choices.findValuesAsText("value")).containsExactly("wiki-admin");
    assertThat(choices.findValuesAsText("label"))
        .containsExactly("Wiki, administrator (wiki-admin, up to PT2H)");
    assertThat(onTheChangedNode.deployIfChanged()).as("and only once").isEmpty();
  }

  private ProcessDefinition latestJitAccess() {
    return repository
        .createProcessDefinitionQuery()
        .processDefinitionKey(AccessProcess.KEY)
        .latestVersion()
        .singleResult();
  }

  /** The form as Tasklist loads it: the deployed start form of the latest jit-access. */
  private JsonNode shownForm() {
    try (InputStream in = forms.getDeployedStartForm(latestJitAccess().getId())) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private long formDeployments() {
    return repository
        .createDeploymentQuery()
        .deploymentName(RequestAccessForm.DEPLOYMENT_NAME)
        .count();
  }

  private static JsonNode field(JsonNode form, String key) {
    for (JsonNode component : form.get("components")) {
      if (key.equals(component.path("key").asText())) {
        return component;
      }
    }
    throw new AssertionError("no field " + key + " in " + form);
  }

  private static List<String> formIdsInTheFormsFolder() throws IOException {
    List<String> ids = new ArrayList<>();
    for (var file : new PathMatchingResourcePatternResolver().getResources("file:forms/*.form")) {
      try (InputStream in = file.getInputStream()) {
        ids.add(JSON.readTree(in).get("id").asText());
      }
    }
    assertThat(ids).as("forms/*.form, read from the repository").isNotEmpty();
    return ids;
  }
}
