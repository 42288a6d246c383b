package io.portcullis.security;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.BeanFactory;

/**
 * The beans that expressions in process models may name ({@link ModelReach#BEANS}), as the engine's
 * bean map. Each is taken from the application when an expression first names it, not when the
 * engine is built: most of them use the engine's services and do not exist before it. A former name
 * ({@link ModelReach#FORMER_NAMES}) is the bean it was renamed to. Java code may add a bean, as
 * Camunda's own {@code beans} setting allows (a test's step does); a model cannot.
 */
final class ModelBeans extends AbstractMap<Object, Object> {

  private final BeanFactory beanFactory;
  private final Map<String, String> formerNames;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  private final Map<String, Object> resolved = new ConcurrentHashMap<>();

  ModelBeans(Set<String> names, Map<String, String> formerNames, BeanFactory beanFactory) {
    this.names.addAll(names);
    this.formerNames = Map.copyOf(formerNames);
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
    Object bean = resolved.get(key);
    if (bean == null) {
      // singletons: two threads that race here get the same bean
      bean = beanFactory.getBean(formerNames.getOrDefault((String) key, (String) key));
      resolved.putIfAbsent((String) key, bean);
    }
    return bean;
  }

  @Override
  public Object put(Object key, Object value) {
    String name = (String) key;
    names.add(name);
    return resolved.put(name, value);
  }

  @Override
  public Set<Entry<Object, Object>> entrySet() {
    Map<Object, Object> all = new LinkedHashMap<>();
    for (String name : new TreeSet<>(names)) {
      all.put(name, get(name));
    }
    return Collections.unmodifiableMap(all).entrySet();
  }

  /** Whether this object is one of the beans, by identity: an equal object is not the bean. */
  boolean isBean(Object candidate) {
    for (Object bean : resolved.values()) {
      if (bean == candidate) {
        return true;
      }
    }
    return false;
  }
}
