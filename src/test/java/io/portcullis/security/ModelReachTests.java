package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The engine's bean whitelist ({@link ModelReach#BEANS}) is exactly what the product's own models
 * name (today's, and the earlier versions whose instances may still run): a model that starts
 * naming a bean the list lacks fails here (not at its first run in production), and a bean no model
 * names any more is taken off the list, so it is not left within a deployed model's reach.
 */
class ModelReachTests {

  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(.*?)}");

  /**
   * A name at the start of a path, followed by a dot: the bean whose method or property the
   * expression reaches.
   */
  private static final Pattern ROOT_WITH_DOT =
      Pattern.compile("(?<![\\w.'\"])([A-Za-z_]\\w*)\\s*\\.");

  private static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";

  /** Earlier versions of the product's models whose instances may still run, kept to be tested. */
  private static final Path EARLIER_VERSIONS = Path.of("src/test/resources/deployments");

  @Test
  void theWhitelistIsExactlyTheBeansThatTheModelsName() throws Exception {
    Set<String> named = new TreeSet<>();
    List<Path> models = models(Path.of("processes"));
    for (Path model : models) {
      named.addAll(beansNamedIn(model));
    }
    assertThat(models)
        .extracting(p -> p.getFileName().toString())
        .contains("jit-access.bpmn", "offboarding.bpmn", "approval-policy.dmn");
    assertThat(named).as("beans named in processes/").hasSizeGreaterThan(20);
    Set<String> namedEarlier = new TreeSet<>();
    for (Path model : models(EARLIER_VERSIONS)) {
      namedEarlier.addAll(beansNamedIn(model));
    }
    Set<String> all = new TreeSet<>(named);
    all.addAll(namedEarlier);
    assertThat(ModelReach.BEANS).containsExactlyInAnyOrderElementsOf(all);
  }

  /**
   * A former name stays on the whitelist only while an earlier version that names it is kept (and
   * tested), and it names a bean that the models of today name: renaming a bean back, or dropping
   * the last version that used the old name, fails here.
   */
  @Test
  void aFormerNameIsNamedOnlyByAnEarlierVersionAndReachesABeanOfToday() throws Exception {
    Set<String> named = new TreeSet<>();
    for (Path model : models(Path.of("processes"))) {
      named.addAll(beansNamedIn(model));
    }
    Set<String> namedEarlier = new TreeSet<>();
    for (Path model : models(EARLIER_VERSIONS)) {
      namedEarlier.addAll(beansNamedIn(model));
    }
    assertThat(ModelReach.FORMER_NAMES).isNotEmpty();
    ModelReach.FORMER_NAMES.forEach(
        (former, current) -> {
          assertThat(named)
              .as("a former name is no longer named in processes/")
              .doesNotContain(former);
          assertThat(namedEarlier)
              .as("an earlier version in " + EARLIER_VERSIONS + " names " + former)
              .contains(former);
          assertThat(named).as(former + " reaches a bean that processes/ name").contains(current);
        });
  }

  @Test
  void aBeanIsWhatADelegateExpressionNamesOrWhatAPathStartsAt() throws Exception {
    Path model = Files.createTempFile("reach", ".bpmn");
    try {
      Files.writeString(
          model,
          """
          <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn">
            <process id="p">
              <serviceTask id="a" camunda:delegateExpression="${grantAccess}"/>
              <serviceTask id="b" camunda:expression="${connectors.named('ldap-group').grant(requester, 'cn=x')}"/>
              <sequenceFlow id="c"><conditionExpression>${stageOutcome == 'APPROVED' &amp;&amp; auditKeys.sign(x) != null}</conditionExpression></sequenceFlow>
              <userTask id="d" camunda:candidateGroups="${deadline}">
                <extensionElements><camunda:taskListener delegateExpression="${approvalGuard}" event="complete"/></extensionElements>
              </userTask>
            </process>
          </definitions>
          """);
      assertThat(beansNamedIn(model))
          .containsExactlyInAnyOrder("grantAccess", "connectors", "auditKeys", "approvalGuard");
    } finally {
      Files.delete(model);
    }
  }

  /**
   * Every bean an expression in this model names: a delegate expression's name, and the start of
   * each path with a dot.
   */
  static Set<String> beansNamedIn(Path model) throws Exception {
    Set<String> beans = new TreeSet<>();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    try (InputStream in = Files.newInputStream(model)) {
      visit(factory.newDocumentBuilder().parse(in).getDocumentElement(), beans);
    }
    return beans;
  }

  private static void visit(Node node, Set<String> beans) {
    if (node instanceof Element element) {
      NamedNodeMap attributes = element.getAttributes();
      for (int i = 0; i < attributes.getLength(); i++) {
        Attr attribute = (Attr) attributes.item(i);
        // camunda:delegateExpression on a task, or delegateExpression on a camunda:taskListener
        boolean camunda =
            CAMUNDA.equals(attribute.getNamespaceURI())
                || attribute.getNamespaceURI() == null && CAMUNDA.equals(element.getNamespaceURI());
        boolean delegate = camunda && "delegateExpression".equals(attribute.getLocalName());
        expressions(attribute.getValue(), delegate, beans);
      }
    } else if (node.getNodeType() == Node.TEXT_NODE
        || node.getNodeType() == Node.CDATA_SECTION_NODE) {
      expressions(node.getNodeValue(), false, beans);
    }
    NodeList children = node.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      visit(children.item(i), beans);
    }
  }

  private static void expressions(String text, boolean delegate, Set<String> beans) {
    Matcher expression = EXPRESSION.matcher(text);
    while (expression.find()) {
      String body = expression.group(1).trim();
      if (delegate) {
        beans.add(body);
      }
      Matcher root = ROOT_WITH_DOT.matcher(body);
      while (root.find()) {
        beans.add(root.group(1));
      }
    }
  }

  private static List<Path> models(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".bpmn") || f.toString().endsWith(".dmn"))
          .sorted()
          .toList();
    }
  }
}
