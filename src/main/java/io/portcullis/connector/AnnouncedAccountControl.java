package io.portcullis.connector;

import org.springframework.context.ApplicationEventPublisher;

/** An account control that announces every disable it made ({@link AccountDisabled}). */
final class AnnouncedAccountControl implements AccountControl {

  private final String connector;
  private final AccountControl control;
  private final ApplicationEventPublisher events;

  AnnouncedAccountControl(String connector, AccountControl control, ApplicationEventPublisher events) {
    this.connector = connector;
    this.control = control;
    this.events = events;
  }

  @Override
  public void disable(String username) {
    control.disable(username);
    events.publishEvent(new AccountDisabled(connector, username));
  }

  @Override
  public void enable(String username) {
    control.enable(username);
  }

  @Override
  public boolean isDisabled(String username) {
    return control.isDisabled(username);
  }

  @Override
  public boolean endSessions(String username) {
    return control.endSessions(username);
  }
}
