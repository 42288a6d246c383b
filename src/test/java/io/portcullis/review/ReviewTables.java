package io.portcullis.review;

import org.camunda.bpm.engine.RuntimeService;
import org.springframework.jdbc.core.JdbcTemplate;

/** What a test of access reviews leaves behind, removed: the campaigns' instances and rows. */
final class ReviewTables {

  private ReviewTables() {}

  static void deleteAll(RuntimeService runtime, JdbcTemplate jdbc) {
    runtime
        .createProcessInstanceQuery()
        .processDefinitionKey(ReviewProcess.KEY)
        .list()
        .forEach(pi -> runtime.deleteProcessInstance(pi.getId(), "test over", true, true));
    jdbc.update("delete from access_review_item");
    jdbc.update("delete from access_review");
  }
}
