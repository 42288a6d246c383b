package io.portcullis.security;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.BeanFactory;

/**
 * The beans that expressions in process models may name ({@link ModelReach#BEANS}), as the engine's bean
 * map. Each is taken from the application when an expression first names it, not when the engine is
 * built: most of them use the engine's services and do not exist before it. Java code may add a bean, as
 * Camunda's own {@code beans} setting allows (a test's step does); a model cannot.
 */
final class ModelBeans extends AbstractMap<Object, Object> {

  private final BeanFactory beanFactory;
  private final Map<String, Object> resolved = new LinkedHashMap<>();
  private final Set<String> names;

  ModelBeans(Set<String> names, BeanFactory beanFactory) {
    this.names = Collections.synchronizedSet(new LinkedHashSet<>(names));
    this.beanFactory = beanFactory;
  }

  @Override
  public boolean containsKey(Object key) {
    return names.contains(key);
  }

  @Override
  public Object get(Object key) {
    if (!names.contains(key)) {
      return null;
    }
    synchronized (resolved) {
      return resolved.computeIfAbsent((String) key, beanFactory::getBean);
    }
  }

  @Override
  public Object put(Object key, Object value) {
    String name = (String) key;
    synchronized (resolved) {
      names.add(name);
      return resolved.put(name, value);
    }
  }

  @Override
  public Set<Entry<Object, Object>> entrySet() {
    Map<Object, Object> all = new LinkedHashMap<>();
    for (String name : Set.copyOf(names)) {
      all.put(name, get(name));
    }
    return Collections.unmodifiableMap(all).entrySet();
  }

  /** Whether this object is one of the beans, by identity: an equal object is not the bean. */
  boolean isBean(Object candidate) {
    synchronized (resolved) {
      for (Object bean : resolved.values()) {
        if (bean == candidate) {
          return true;
        }
      }
      return false;
    }
  }
}
