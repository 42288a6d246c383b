package io.portcullis.security;

import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.impl.el.JuelExpressionManager;
import org.camunda.bpm.engine.impl.el.ReadOnlyMapELResolver;
import org.camunda.bpm.engine.impl.el.VariableContextElResolver;
import org.camunda.bpm.engine.impl.el.VariableScopeElResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ArrayELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.BeanELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.CompositeELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ELContext;
import org.camunda.bpm.impl.juel.jakarta.el.ELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.ListELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.MapELResolver;
import org.camunda.bpm.impl.juel.jakarta.el.MethodNotFoundException;
import org.camunda.bpm.impl.juel.jakarta.el.PropertyNotFoundException;
import org.joda.time.ReadableInstant;
import org.joda.time.ReadablePartial;
import org.joda.time.ReadablePeriod;

/**
 * The expressions of process and decision models (JUEL in BPMN, and in DMN where a model asks for
 * it) and of Tasklist's filters. They resolve a name to a variable, to {@code execution} or {@code
 * task}, or to one of the model beans ({@link ModelBeans}); the engine's functions ({@code
 * currentUser()}, {@code now()}, {@code dateTime()}) stay. A method or property is reached only on
 * a model bean or on a plain value (text, a number, a date): never on {@code execution}, whose
 * engine leads to every service, the configuration and the data source, and never {@code
 * getClass()}. Camunda's Spring expression manager would resolve any bean of the application and
 * call anything on anything.
 */
final class ModelExpressions extends JuelExpressionManager {

  /** Values whose methods an expression may call: they lead to nothing else. */
  private static final List<Class<?>> PLAIN =
      List.of(
          String.class,
          Number.class,
          Boolean.class,
          Character.class,
          Date.class,
          TemporalAccessor.class,
          TemporalAmount.class,
          ReadableInstant.class,
          ReadablePartial.class,
          ReadablePeriod.class);

  private final ModelBeans beans;

  ModelExpressions(ModelBeans beans) {
    super(beans);
    this.beans = beans;
  }

  @Override
  protected ELResolver createElResolver() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new VariableScopeElResolver());
    resolver.add(new VariableContextElResolver());
    resolver.add(new ReadOnlyMapELResolver(beans));
    resolver.add(new ArrayELResolver());
    resolver.add(new ListELResolver());
    resolver.add(new MapELResolver());
    resolver.add(new ModelBeansOnly());
    return resolver;
  }

  /** Java's bean resolution, for the model beans and plain values only. */
  private final class ModelBeansOnly extends BeanELResolver {

    ModelBeansOnly() {
      super(true);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      return base == null ? null : super.getValue(context, reachable(base, property), property);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
      return base == null ? null : super.getType(context, reachable(base, property), property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
      if (base != null) {
        super.setValue(context, reachable(base, property), property, value);
      }
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      return base == null || super.isReadOnly(context, reachable(base, property), property);
    }

    @Override
    public Object invoke(
        ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
      if (base == null) {
        return null;
      }
      if (!allowed(base, method)) {
        throw new MethodNotFoundException(refusal(base, method));
      }
      return super.invoke(context, base, method, paramTypes, params);
    }

    private Object reachable(Object base, Object property) {
      if (!allowed(base, property)) {
        throw new PropertyNotFoundException(refusal(base, property));
      }
      return base;
    }

    private boolean allowed(Object base, Object name) {
      if ("class".equals(name) || "getClass".equals(name)) {
        return false;
      }
      return beans.isBean(base) || PLAIN.stream().anyMatch(type -> type.isInstance(base));
    }

    private static String refusal(Object base, Object name) {
      return "'"
          + name
          + "' of a "
          + base.getClass().getSimpleName()
          + " is out of a model's reach: expressions call Portcullis' "
          + "model beans and read variables, nothing else";
    }
  }
}
