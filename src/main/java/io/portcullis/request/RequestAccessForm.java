package io.portcullis.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Tasklist's start form of {@code jit-access}: {@code forms/request-access.form} with the live
 * catalog in its list of resources, deployed by Portcullis when it starts.
 *
 * <p>Why deployed, not fed: Tasklist 7.24 gives a Camunda Form no variables when it starts a
 * process (it loads form variables for tasks only), so neither a {@code valuesKey} nor a {@code
 * valuesExpression} can take the list from the engine when the form is shown. The list is therefore
 * written into the form, from the catalog this node runs with, and the start event binds the latest
 * version of the form ({@code camunda:formRefBinding="latest"}).
 *
 * <p>A new version is deployed only when the form Tasklist would show now differs from this one.
 * That is compared with the form itself, not left to the engine's duplicate filtering, which
 * compares only with the previous deployment of the same name: the Camunda starter redeploys the
 * template (with its empty list) whenever anything in {@code processes/} or {@code forms/} changes,
 * and the filtered one would then never replace it. The checks stay where they are for every door:
 * the process start ({@link RequestLifecycle#opened}) refuses whatever this form lets through.
 */
@Component
class RequestAccessForm implements SmartInitializingSingleton {

  static final String ID = "request-access";
  static final String TEMPLATE = "forms/request-access.form";
  static final String DEPLOYMENT_NAME = "portcullis-request-access-form";

  private static final Logger log = LoggerFactory.getLogger(RequestAccessForm.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Catalog catalog;
  private final RequestSettings settings;
  private final ScheduledStarts starts;
  private final RepositoryService repository;
  private final FormService forms;

  RequestAccessForm(
      Catalog catalog,
      RequestSettings settings,
      ScheduledStarts starts,
      RepositoryService repository,
      FormService forms) {
    this.starts = starts;
    this.catalog = catalog;
    this.settings = settings;
    this.repository = repository;
    this.forms = forms;
  }

  /** At start-up, after the engine has deployed the processes and forms on the class path. */
  @Override
  public void afterSingletonsInstantiated() {
    deployIfChanged();
  }

  /**
   * Deploys the form unless Tasklist already shows exactly this one; the new deployment, if any.
   */
  Optional<Deployment> deployIfChanged() {
    String form = render();
    if (shownNow().filter(form::equals).isPresent()) {
      return Optional.empty();
    }
    Deployment deployment =
        repository
            .createDeployment()
            .name(DEPLOYMENT_NAME)
            .source("catalog")
            .addString(TEMPLATE, form)
            .deploy();
    log.info(
        "Deployed the Tasklist start form '{}' with {} resources of the catalog (deployment {})",
        ID,
        catalog.all().size(),
        deployment.getId());
    return Optional.of(deployment);
  }

  /**
   * The template with the catalog's resources as the choices and this node's justification limit
   * and longest start offset.
   */
  String render() {
    ObjectNode form = template();
    ArrayNode choices = component(form, AccessProcess.RESOURCE).putArray("values");
    for (Resource resource : catalog.all()) {
      choices
          .addObject()
          .put(
              "label",
              resource.name() + " (" + resource.id() + ", up to " + resource.maxDuration() + ")")
          .put("value", resource.id().value());
    }
    ObjectNode justification = component(form, AccessProcess.JUSTIFICATION);
    ObjectNode validate =
        justification.has("validate")
            ? (ObjectNode) justification.get("validate")
            : justification.putObject("validate");
    validate.put("maxLength", settings.justificationMaxLength());
    ObjectNode startAt = component(form, AccessProcess.STARTS_AT);
    startAt.put(
        "description",
        startAt
            .path("description")
            .asText()
            .replace("at most P30D ahead", "at most " + starts.maxOffset() + " ahead"));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(form) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The start form of the latest jit-access, as Tasklist would load it; empty if there is none yet.
   */
  private Optional<String> shownNow() {
    ProcessDefinition latest =
        repository
            .createProcessDefinitionQuery()
            .processDefinitionKey(AccessProcess.KEY)
            .latestVersion()
            .singleResult();
    if (latest == null) {
      return Optional.empty();
    }
    try (InputStream shown = forms.getDeployedStartForm(latest.getId())) {
      return Optional.of(new String(shown.readAllBytes(), StandardCharsets.UTF_8));
    } catch (ProcessEngineException e) {
      // no form of that id deployed yet
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode template() {
    try (InputStream in = new ClassPathResource(TEMPLATE).getInputStream()) {
      JsonNode form = JSON.readTree(in);
      if (!ID.equals(form.path("id").asText())) {
        throw new IllegalStateException(
            TEMPLATE + " must have the id '" + ID + "', which processes/jit-access.bpmn names");
      }
      return (ObjectNode) form;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TEMPLATE, e);
    }
  }

  private static ObjectNode component(ObjectNode form, String key) {
    for (JsonNode component : form.path("components")) {
      if (key.equals(component.path("key").asText())) {
        return (ObjectNode) component;
      }
    }
    throw new IllegalStateException(TEMPLATE + " has no field with the key '" + key + "'");
  }
}
