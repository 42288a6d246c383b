package io.portcullis.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.notification.Notice.Recipients;
import io.portcullis.support.PortcullisTest;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** With no channel configured (the default), a notice is not even stored: no row, no instance. */
@PortcullisTest
class NoChannelTest {

  @Autowired Notifications notifications;
  @Autowired RuntimeService runtime;
  @Autowired JdbcTemplate jdbc;

  @Test
  void withNoChannelConfiguredSendDoesNothingAtAll() {
    notifications.send(
        Notice.of(
            Notice.ACCESS_GRANTED, "nobody-listens", Recipients.users("alice"), "Access granted"));
    assertThat(jdbc.queryForObject("select count(*) from notification", Integer.class)).isZero();
    assertThat(
            runtime
                .createProcessInstanceQuery()
                .processDefinitionKey(NotificationProcess.KEY)
                .count())
        .isZero();
  }
}
