package io.portcullis.connector;

import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Username;
import org.springframework.context.ApplicationEventPublisher;

/** An account control that announces every disable it made ({@link AccountDisabled}). */
final class AnnouncedAccountControl implements AccountControl {

  private final ConnectorName connector;
  private final AccountControl control;
  private final ApplicationEventPublisher events;

  AnnouncedAccountControl(
      ConnectorName connector, AccountControl control, ApplicationEventPublisher events) {
    this.connector = connector;
    this.control = control;
    this.events = events;
  }

  @Override
  public void disable(Username username) {
    control.disable(username);
    events.publishEvent(new AccountDisabled(connector, username));
  }

  @Override
  public void enable(Username username) {
    control.enable(username);
  }

  @Override
  public boolean isDisabled(Username username) {
    return control.isDisabled(username);
  }

  @Override
  public boolean endSessions(Username username) {
    return control.endSessions(username);
  }
}
